/**
 * `npm run size`: the gzip size of dist/stream-chat.js (run `npm run build` first) and what it is
 * made of: Lit, eventsource-parser, and our own code (the rest), each bundled and minified the
 * way the CDN bundle is. Exits 1 when the bundle is over the limit (bytes of gzip -9; default
 * 49.16 KiB, `--limit N` to change it). Sizes are deterministic, so this runs in `npm test`.
 * The chunks next to it, loaded only by an element that uses them (the highlighter with `highlight`,
 * the Responses and Anthropic protocols with `protocol`), are reported on lines of their own and
 * not gated: they are not part of what every page loads.
 *
 * The gate is a ratchet just above today's size, so the bundle may shrink, never grow unnoticed.
 * History: the performance issue asked for 10 KB with a gate at 12 KB, and the bundle was 13.9 KiB
 * with Lit and eventsource-parser 6.73 KiB of it; the redesign into a headless Conversation and its
 * view, with the fixes that came with it, took it to 15.33 KiB, over its 14.5 KiB budget; the Markdown renderer
 * (5.6 KiB, with its styles about 6) to 21.45 KiB, over the Markdown issue's 18 KiB (docs/performance.md
 * says where the bytes went); the tool loop and its cards to 22.84 KiB (+1.39 KiB,
 * within the tools issue's 1.5 KiB over the Markdown issue's size); the conversation UX (actions,
 * stats, jump to latest, suggestions and slots, labels, touch keyboards) to 25.01 KiB (+2.17 KiB),
 * and keeping the conversation in localStorage (`storage-key`), with the highlighter's loader (+0.14 KiB) and a terser
 * pass (−0.11 KiB), to 25.90 KiB (+0.75 KiB): about 2.97 KiB for
 * the UX issue, over its 2 KiB; keeping long open Markdown blocks as they are, to 26.22 KiB (+0.31 KiB);
 * GFM's bare-URL autolinks, to 26.51 KiB (+0.29 KiB);
 * the Responses and Anthropic protocols (the `protocol` option and its loader, the server-tool lines
 * and sources) +0.80 KiB (816 bytes, measured on their own), to 27.32 KiB, and fixes a review found with the element's retry() (+0.23 KiB) to 27.55 KiB; the protocols themselves are
 * chunks loaded on first use (1.89 and 1.97 KiB), not counted here; built in, they would have added
 * 3.39 KiB. Claude's extended thinking with tools (its thinking blocks kept on the message, to send
 * back to Anthropic, and stripped from chat-completions requests) added 37 bytes, from 28,200 to
 * 28,237 (27.58 KiB; 27.59 KiB with the element's retry() merged beside it); the rest of it is in the Anthropic chunk
 * (1.98 to 2.10 KiB). Keeping the conversation became a chunk of its own, loaded with `storage-key`
 * (1.15 KiB, not counted here): 27.59 to 26.99 KiB. Fifteen small rewrites of the Markdown renderer
 * and the styles, each checked to give the same DOM and computed styles: 26.87 KiB; fixes an audit found, 26.88 KiB;
 * limits on hostile Markdown (nesting 32 deep, tables 128 wide), 26.92 KiB; the stats line contained, 26.95 KiB;
 * a turn started before the stored conversation is restored waiting for it, 26.99 KiB; fixes an audit of
 * `storage-key`'s lifecycle found (a turn waiting for a key set later, a removed element's turn that
 * never goes out, the interrupted marker under a question), 27.06 KiB; fixes an audit of the Markdown
 * streaming found (a definition that stops being one, a table after a fence, code blocks kept when a
 * block is rebuilt, an answer's nodes kept and settings applied to it, percent-escapes), 27.24 KiB; fixes
 * audits of the UI (focus, right to left, Regenerate on an unanswered question, a page's form in the
 * `empty` slot, input methods' Escape, a busy stats line) and of the headless conversation (a retry's
 * leftovers, a thenable that throws, results JSON cannot hold, the same array set again), 27.39 KiB;
 * fixes an audit of security and the samples found (no redirect followed with secrets, redaction of
 * cut keys and of headers, the React 18 wrapper's re-renders), 27.56 KiB; fixes an audit of scrolling and
 * the protocols on screen found (text after a provider's tool, sources once, a log kept at its end), 27.66 KiB;
 * redaction only where a quoted text was cut (an error body cut at 200 characters ends with "…"), 27.68 KiB;
 * the focus ring of a button at a group's edge kept whole, 27.71 KiB; fixes audits of the headless
 * conversation, the UI and the package found (nothing to ask rejected, a stop between two steps,
 * errors of other realms and of other copies, respond() to a running tool, any scroll up stopping
 * the log's follow, focus when Jump to latest goes, Copy's timer), 27.98 KiB; tokens per second over the
 * time responses streamed, and Copy's labels of the moment, 28.04 KiB; what streams kept out of the
 * log's announcements, a status region for a turn's start and its whole answer, focus kept on Copy,
 * 28.26 KiB; fixes of a review of screenshots (table cells, the edit form, a link's focus ring,
 * forced colors, task checkboxes, the placeholder, the stats line's direction), 28.35 KiB; a tool
 * card's state announced with its name, 29,031 bytes; an answer's actions row there while it streams,
 * 29,039 bytes (28.36 KiB); a task list's checkboxes named by their item, 29,061 bytes (28.38 KiB);
 * fixes a review of the session's diff found (the status region for tool loops, failures and stops,
 * typing not taken for scrolling up, an empty last response, subclasses' instanceof, the empty
 * actions row only while streaming), 29,284 bytes (28.60 KiB); FollowEnd without two comparisons
 * that changed no outcome, 29,236 bytes (28.56 KiB); the element class split into a view and the
 * modules and controllers it renders with (actions, composer, status region, storage-key's loader),
 * 29,387 bytes (28.70 KiB); the status region saying at most 2,000 characters of an answer (laying
 * out a whole long answer in it was a long task), 29,500 bytes (28.81 KiB); code blocks and tables
 * that take focus, 29,512 bytes (28.82 KiB); fixes a review found (the region's cut said when it left something out,
 * Markdown's groups copied only up to the limit, a page's buttons in the empty slot left alone),
 * 29,616 bytes (28.92 KiB); copied HTML without the scrollers' tabindex, 29,634 bytes (28.94 KiB);
 * the scrollers' focus ring drawn inside them, 29,664 bytes (28.97 KiB); calls with the same id
 * given their own results, 29,662 bytes; fixes audits of errors and of embedding found (the key out of
 * stacks, config values that are not numbers, endpoints without a scheme, …), 30,280 bytes; fixes a
 * model-based test of the conversation found (turns' ends in order, results let go), 30,335 bytes
 * (29.62 KiB); fixes a differential fuzzer of the Markdown renderer found, 30,408 bytes (29.70 KiB);
 * a body cut inside a line, or after the answer said it was complete, 30,434 bytes (29.72 KiB);
 * fixes a model-based test of the element found (a refused edit, an empty mirror, text no chunk
 * brought, the scroll after a removal), 30,597 bytes (29.88 KiB); fixes a review of those found,
 * 30,636 bytes (29.92 KiB); a turn's end written in one place, 30,617 bytes (29.90 KiB); a view that
 * throws as a turn ends reported, the turn still settled, 30,631 bytes (29.91 KiB); calls' arguments
 * that are not a JSON object sent back as `{}`, 30,701 bytes (29.98 KiB); tool call ids the Responses
 * and Messages APIs take, 30,801 bytes (30.08 KiB); cut calls' results without `tools` too, 30,795
 * bytes (30.07 KiB); a view that throws still dispatching the event, 30,797 bytes (30.08 KiB); tool ids
 * paired per answer, for calls without an id too, 30,822 bytes (30.10 KiB); a relative endpoint in
 * Node an error that says so, 30,832 bytes (30.11 KiB); the header slot's content lined up with
 * the messages, 30,850 bytes (30.13 KiB); code highlighted off screen coloured once shown, 30,897
 * bytes (30.17 KiB); the header's padding for headings and paragraphs only, 30,905 bytes (30.18 KiB);
 * an endpoint that is not a valid URL told to be given whole, 30,930 bytes (30.21 KiB); a flag SSE's
 * last character already says, gone, 30,926 bytes (30.20 KiB); Safari's key that ends an input method's
 * composition left to it, 30,943 bytes (30.22 KiB); a printout of the whole conversation, 30,995 bytes
 * (30.27 KiB); the input grown by script where CSS `field-sizing` is missing, 31,113 bytes (30.39 KiB);
 * every group laid out where there is no scroll anchoring (Safari), 31,147 bytes (30.42 KiB); a long
 * placeholder on one line where `field-sizing` is missing, 31,164 bytes (30.44 KiB); the highlighter's
 * sheet assigned, not pushed, 31,176 bytes (30.45 KiB); fixes a review of the browser fallbacks found
 * (the speakers kept in the log, the log's scroll kept while the input is measured, printed tables),
 * 31,219 bytes (30.49 KiB); the input fitted again when its width changes, 31,302 bytes (30.57 KiB);
 * one shape for tool calls going out, 31,321 bytes (30.59 KiB); fixes a leak audit found (rendered
 * answers kept per element, a removed log not watched, the renderers kept bounded), 31,306 bytes
 * (30.57 KiB); fixes a WCAG 2.2 audit found (focus not under Jump to latest, the stats line
 * wrapped, the input's border, the code block's Copy), 31,368 bytes (30.63 KiB); fixes a review of
 * those found (a renderer per element), 31,367 bytes; "Copied" kept with the message copied (the
 * view renders it), 31,427 bytes (30.69 KiB); fixes a phone audit found (Send and the actions
 * wrap with large text, a double tap on Send), 31,462 bytes (30.72 KiB); `_`, `*` and `~` in a bare
 * URL the URL's, 31,522 bytes (30.78 KiB); a line begun that may be a marker left out while it
 * streams, 31,594 bytes (30.85 KiB); terser's `keep_fargs: false`, 31,585 bytes (30.84 KiB);
 * each Markdown block its own direction, 31,610 bytes (30.87 KiB); `<br>` a line break, 31,628
 * bytes (30.89 KiB); `<think>` in the content as reasoning, 31,744 bytes (31.00 KiB); fixes a
 * review of those found (direction by CSS, a double click on Stop, emphasis in a link's text, a
 * URL's labels bounded), 31,744 bytes; options read only at a request rendering nothing, 31,772
 * bytes (31.03 KiB); a streamed answer's parse let go at its end, 31,781 bytes (31.04 KiB); the
 * last answer streamed let go once ended, 31,789 bytes; Ctrl+Enter sending on a coarse pointer,
 * 31,799 bytes (31.05 KiB); the last message's actions always shown, 31,814 bytes (31.07 KiB);
 * fixes an audit of providers' streams found (Gemini 3's thought signatures and OpenRouter's
 * reasoning details sent back, citations as sources, `<thought>` and `<reasoning>` blocks, events
 * of another API an error), 32,166 bytes (31.41 KiB); a `</think>` whose `<think>` was in the prompt
 * ending reasoning, 32,347 bytes (31.59 KiB); fixes a Markdown fuzzer found (emphasis after a link
 * holding a URL, markers after an item's waiting, a URL's trailing punctuation trimmed in one pass),
 * 32,431 bytes (31.67 KiB); fixes a review of those found, 32,490 bytes (31.73 KiB); an open table
 * keeping its unchanged rows, 32,582 bytes (31.82 KiB); a link definition begun waiting for its line,
 * 32,598 bytes (31.83 KiB); a `</think>` before any text, 32,599 bytes; a lone `</think>` in a code
 * block the answer's, 32,648 bytes (31.88 KiB); that check off the path of every chunk once it cannot
 * apply, 32,654 bytes (31.89 KiB); a turn Anthropic paused going on by itself, 32,722 bytes
 * (31.96 KiB), never showing as running tools, 32,728 bytes (31.97 KiB); a long conversation set
 * whole rendered over several tasks, its end first, while the reader is at the end, 32,963 bytes
 * (32.19 KiB), Edit's focus not waiting for them, 32,974 bytes (32.20 KiB), the render to come a
 * method of its own, 32,982 bytes (32.21 KiB); a reasoning model's step on the Responses API keeping
 * its encrypted reasoning items, 33,008 bytes (32.23 KiB); an answer the provider cut short marked,
 * 33,120 bytes (32.34 KiB); every answer rendered again from the end, 33,134 bytes (32.36 KiB);
 * parallel calls at one index kept apart, 33,167 bytes (32.39 KiB); `reasoning_content` sent back with
 * calls, 33,235 bytes (32.46 KiB); fixes a new user's audit found, 33,291 bytes (32.51 KiB);
 * fixes a review of those found, 33,366 bytes (32.58 KiB); Mistral's `model_length` as `length`,
 * 33,380 bytes (32.60 KiB); the cut said after the answer read out, 33,426 bytes (32.64 KiB);
 * a tidy, 33,406 bytes (32.62 KiB);
 * no bare URL with `_` in its host's last two labels, 33,449 bytes (32.67 KiB);
 * while it streams no link to half an address, no task marker, label or header row shown as text, 33,619 bytes (32.83 KiB);
 * an open list not compared whole per frame, 33,665 bytes (32.88 KiB);
 * the core where there is no CustomEvent, 33,698 bytes (32.91 KiB);
 * an empty array a mirror while the first answer streams, 33,687 bytes (32.90 KiB);
 * fixes a lifecycle stress test found, 33,686 bytes (32.90 KiB);
 * the element in jsdom, 33,703 bytes (32.91 KiB);
 * open bold, italics and code shown as they will be while they stream, 33,814 bytes (33.02 KiB);
 * the same in a table's last cell, 33,873 bytes (33.08 KiB);
 * fixes a review of those found, 33,952 bytes (33.16 KiB);
 * parsed again only when something is open, 33,957 bytes (33.16 KiB);
 * emphasis closed only where it opens a word, 33,961 bytes (33.17 KiB);
 * link text arriving and a bare opener, 34,035 bytes (33.24 KiB);
 * a link's title arriving shown as its text, bold on a link, 34,141 bytes (33.34 KiB);
 * email addresses and URLs after quotes linked, a bare URL a link once its word ends, 34,307 bytes (33.50 KiB);
 * messages set and clear() right after a new key go with it, 34,322 bytes (33.52 KiB);
 * tool arguments: an object taken as its JSON, JSON that is no object an error, 34,353 bytes (33.55 KiB);
 * a turn max-steps ended marked, 34,490 bytes (33.68 KiB);
 * an empty reasoning_content for DeepSeek, 34,518 bytes (33.71 KiB);
 * emphasis open found by the parser, 34,753 bytes (33.94 KiB);
 * fixes a review of the session's changes found, 34,780 bytes (33.96 KiB);
 * fixes a second review found, 34,768 bytes (33.95 KiB);
 * the parse that finds what is open reused, 34,813 bytes (34.00 KiB);
 * a fence's rows shown at once and a bare URL after a link held, 34,845 bytes (34.03 KiB);
 * the log's follow kept through a closed <details> opened, 34,887 bytes (34.07 KiB);
 * a slot's controls keeping their Escape, 34,910 bytes (34.09 KiB);
 * a turn asked out of the page waiting a task, 34,911 bytes (34.09 KiB);
 * the step-limit marker by the calls answered, 34,909 bytes (34.09 KiB);
 * the element in another document, 35,103 bytes (34.28 KiB);
 * the headless core's fixes from Node, 35,168 bytes (34.34 KiB);
 * hostile streamed Markdown's fixes, 35,227 bytes (34.40 KiB);
 * the bracket popped once, 35,216 bytes (34.39 KiB);
 * focus kept on what the answer builds again, 35,396 bytes (34.57 KiB);
 * the log quiet where the status region speaks, 35,396 bytes (34.57 KiB);
 * Enter without matchMedia, 35,397 bytes (34.57 KiB);
 * a stop said by the status region, 35,401 bytes (34.57 KiB);
 * another protocol's stream a protocol error, 35,431 bytes (34.60 KiB);
 * Retry on an interrupted tool turn, 35,464 bytes (34.63 KiB);
 * fixes a review found, 35,663 bytes (34.83 KiB);
 * tools broken mid-turn end the turn, 35,667 bytes (34.83 KiB);
 * tool-call no end for the status region, 35,674 bytes (34.84 KiB);
 * delimiter row linear, 35,680 bytes (34.84 KiB);
 * untyped titles and names left out, 35,691 bytes (34.85 KiB);
 * pretty once, 35,740 bytes (34.90 KiB);
 * images without a Referer, 35,762 bytes (34.92 KiB);
 * fixes a second review found, 35,799 bytes (34.96 KiB);
 * one writer for the status region, 35,815 bytes (34.98 KiB);
 * session 34's audits (protocols, Node, visual accessibility), 36,044 bytes (35.20 KiB);
 * unanswered calls, capped retry waits, retry() of nothing, 36,173 bytes (35.33 KiB);
 * focus followed inside the shadow root, Jump's scroll margin, 36,206 bytes (35.36 KiB);
 * review of session 34's changes, 36,245 bytes (35.40 KiB);
 * a fetch without web streams named, 36,300 bytes (35.45 KiB);
 * the fields kept whole through one helper, 36,275 bytes (35.42 KiB);
 * focus after Jump to latest on the latest turn, 36,318 bytes (35.47 KiB);
 * retry() answering unanswered calls, 36,316 bytes (35.46 KiB);
 * 404 and CORS hints, 36,368 bytes (35.52 KiB);
 * open containers patched part by part, 36,484 bytes (35.63 KiB);
 * Retry at the step limit, 36,492 bytes (35.64 KiB);
 * review fixes: focused turn named, endpoint shown without query, 36,568 bytes (35.71 KiB);
 * toError: JSON, and values with no text, 36,604 bytes (35.75 KiB);
 * markers said once, 36,610 bytes (35.75 KiB);
 * paragraph before a definition at the end, 36,618 bytes (35.76 KiB);
 * URL hint by the provider's words, 36,632 bytes (35.77 KiB);
 * the status region emptied once said, 36,659 bytes (35.80 KiB);
 * a result pushed onto messages found, 36,676 bytes (35.82 KiB);
 * the missing endpoint's error, 36,673 bytes (35.81 KiB);
 * CJK: a closer that cannot close not shown open, 36,741 bytes (35.88 KiB);
 * CJK-friendly emphasis, 36,825 bytes (35.96 KiB);
 * RTL inline code, 36,836 bytes (35.97 KiB);
 * Responses: each message item back with its phase, 36,855 bytes (35.99 KiB);
 * a frozen page's late stall check, 36,878 bytes (36.01 KiB);
 * a move with append() goes on, 36,885 bytes (36.02 KiB);
 * no error as the page goes, 36,944 bytes (36.08 KiB);
 * code header on a phone, 36,968 bytes (36.10 KiB);
 * CJK by width; a leading full-width space, 37,055 bytes (36.19 KiB);
 * the going flag for a task, 37,045 bytes (36.18 KiB);
 * the status region hidden by an animation, 37,097 bytes (36.23 KiB);
 * unanswered calls found again, 37,101 bytes (36.23 KiB);
 * pagehide: trusted, errors only, 37,110 bytes (36.24 KiB);
 * status text removed once said, 37,124 bytes (36.25 KiB);
 * the stats' numbers in the element's language, 37,210 bytes (36.34 KiB);
 * the request's id on errors, 37,290 bytes (36.42 KiB);
 * the endpoint cut from the browser's messages too, 37,367 bytes (36.49 KiB);
 * tools in body added to the element's, 37,403 bytes (36.53 KiB);
 * chat-completions interop (max_completion_tokens, questions in a row, ids), 37,620 bytes (36.74 KiB);
 * bare URLs' labels taken at once, 37,632 bytes (36.75 KiB);
 * a review's fixes (body tools by name, made ids, lang), 37,736 bytes (36.85 KiB);
 * no empty list per chunk, 37,739 bytes (36.85 KiB);
 * made tool ids through toolIds, 37,736 bytes (36.85 KiB);
 * 429s for no credit or too large a request not retried, 37,771 bytes (36.89 KiB);
 * parallel calls of one id sent with their own, 37,770 bytes (36.88 KiB);
 * turns named groups, speaker not read out, 37,768 bytes (36.88 KiB);
 * scrollers a tab stop only while they scroll, 37,823 bytes (36.94 KiB);
 * reasoning_details as reasoning apart, 37,824 bytes (36.94 KiB);
 * open inline kept at a paragraph's line end, 37,825 bytes (36.94 KiB);
 * Copy falls back when the Clipboard API refuses, 37,822 bytes (36.94 KiB);
 * scrollers start as no tab stop, per-window observers, 37,862 bytes (36.97 KiB);
 * Moonshot's quota error not retried, 37,866 bytes (36.98 KiB);
 * scrollers stops until laid out, 37,864 bytes (36.98 KiB);
 * a failed answer's stats kept, 37,865 bytes (36.98 KiB);
 * an open paragraph patched from where it changed, 37,935 bytes (37.05 KiB);
 * request fields read as it is asked for, 37,987 bytes (37.10 KiB);
 * an open code block in pieces, 38,060 bytes (37.17 KiB);
 * a committed block keeps its open nodes, 38,144 bytes (37.25 KiB);
 * a click on Send keeps the caret, 38,158 bytes (37.26 KiB);
 * Copy without the last line break, 38,158 bytes (37.26 KiB);
 * a throwing option getter fails the request, 38,162 bytes (37.27 KiB);
 * a throwing endpoint getter too, 38,164 bytes (37.27 KiB);
 * Jump to latest not read out by the log, 38,165 bytes (37.27 KiB);
 * Copy code named apart, 38,173 bytes (37.28 KiB);
 * a definition's title on the next line waiting, 38,205 bytes (37.31 KiB);
 * LiteLLM's thinking blocks and MiniMax's <think> back in tool loops, 38,395 bytes (37.50 KiB);
 * an error's text its own direction, 38,397 bytes (37.50 KiB);
 * tokens/s after 100 ms, without the first read, 38,431 bytes (37.53 KiB);
 * tool cards in the page's direction, 38,452 bytes (37.55 KiB);
 * a paused turn one answer on screen, 38,492 bytes (37.59 KiB);
 * fences, single tildes and long code-span openers mid-stream, 38,532 bytes (37.63 KiB);
 * a review's fixes (JSON results' direction, Copy apart, one stats line, tokens/s reads and usage share), 38,666 bytes (37.76 KiB);
 * a server tool's space kept in the CDN build, 38,670 bytes (37.76 KiB);
 * a tool loop one answer, its stats line kept, 38,689 bytes (37.78 KiB);
 * focus() into the input, 38,712 bytes (37.80 KiB);
 * answers as one group: Copy as shown, groups of messages, the row kept, focus() before render, 38,752 bytes (37.84 KiB);
 * the stats line counts on while tools run, 38,765 bytes (37.86 KiB);
 * tokens/s: the first part's reads end after its read, 38,803 bytes (37.89 KiB);
 * a provider's tool run said as it shows, 38,857 bytes (37.95 KiB);
 * bytes out, behaviour kept, 38,606 bytes (37.70 KiB);
 * a bad character in the key located, 38,698 bytes (37.79 KiB);
 * a stopped tool call not an error, 38,713 bytes (37.81 KiB);
 * terser options, 38,562 bytes (37.66 KiB);
 * Firefox fixes, 38,593 bytes (37.69 KiB);
 * review fixes, 38,610 bytes (37.71 KiB);
 * stopped answers kept stopped, 38,629 bytes (37.72 KiB);
 * an empty log no tab stop, groups named without the colon, 38,663 bytes (37.76 KiB);
 * what WebKit found: slow regexes, Jump, the fallback, a restore's end first, 38,715 bytes (37.81 KiB);
 * what they read kept in Safari through any render, 38,737 bytes (37.83 KiB);
 * a tool result's images reach the model on every protocol, 38,853 bytes (37.94 KiB);
 * links: no bidi overrides, relative only on http(s) pages, 38,912 bytes (38.00 KiB);
 * a tool's images from execute; no false error as Firefox and WebKit pages go, 39,095 bytes (38.18 KiB);
 * bytes out with the behaviour kept; a review's fixes, 38,936 bytes (38.02 KiB);
 * Mistral: tool results then a question, 39,009 bytes (38.09 KiB);
 * the defaults back for custom-elements.json, 39,030 bytes (38.12 KiB);
 * Mistral's tool-call ids, 39,077 bytes (38.16 KiB);
 * one image-URL check, 39,091 bytes (38.17 KiB);
 * streamChat: no endpoint or messages a clear error, a URL its address, 39,107 bytes (38.19 KiB);
 * attached images named by their call, 39,123 bytes (38.21 KiB);
 * an images-only result's placeholder, 39,143 bytes (38.23 KiB);
 * RTL tables and input, forced-colors question edge, 39,182 bytes (38.26 KiB);
 * bad input: clear errors, 39,362 bytes (38.44 KiB);
 * headers override whatever their case, 39,417 bytes (38.49 KiB);
 * a review's fixes: falsy options, edit with parts, 39,425 bytes (38.50 KiB);
 * bytes out, 39,381 bytes (38.46 KiB);
 * Edit scrolls its box into view, 39,412 bytes (38.49 KiB);
 * an edit form's buttons in view, an empty RTL edit box, 39,445 bytes (38.52 KiB);
 * the element class 275 → 199 lines, 39,438 bytes (38.51 KiB);
 * Save and Cancel above Jump, 39,452 bytes (38.53 KiB);
 * changes private, 39,444 bytes (38.52 KiB);
 * a question's files shown, 39,535 bytes (38.61 KiB);
 * an edit box in a short log, 39,699 bytes (38.77 KiB);
 * a tool's files sent, 39,736 bytes (38.80 KiB);
 * a review's fixes, 39,696 bytes (38.77 KiB);
 * an edit box's order for WebKit, 39,700 bytes (38.77 KiB);
 * an open paragraph's settled lines kept, 40,098 bytes (39.16 KiB);
 * a code span's [ left alone, 40,109 bytes (39.17 KiB);
 * an edit box's room sought only while editing, 40,127 bytes (39.19 KiB);
 * edit keeps parts in place, a chat-completions file named, 40,203 bytes (39.26 KiB);
 * a later link definition resolved once finished, 40,218 bytes (39.28 KiB);
 * six cuts (template quotes and implied end tags, the renderer's module order, styles, copy, one event helper), 39,995 bytes (39.06 KiB);
 * a block rendered again keeps no lookups of the open block, 39,998 bytes (39.06 KiB);
 * fourteen rewrites (values read once, one-use names gone), 39,910 bytes (38.97 KiB);
 * thirty-seven rewrites in the element, and an edit forgotten with its question, 39,757 bytes (38.83 KiB);
 * thirteen rewrites in the core and fourteen in the Markdown renderer, 39,666 bytes (38.74 KiB);
 * seventeen more rewrites in the core, eleven in the Markdown inlines, an email autolink's end, 39,468 bytes (38.54 KiB);
 * twenty-two more rewrites in the element, 39,412 bytes (38.49 KiB);
 * the empty state with system prompts alone, blank suggestions left out, Regenerate past a system note, 39,428 bytes (38.50 KiB);
 * a question of no text without Copy, Regenerate not beside Retry past a system note, 39,441 bytes (38.52 KiB);
 * twenty-five rewrites in the core, the stall timer a closure, 39,289 bytes (38.37 KiB);
 * the Markdown inline loop's brackets first, eat() by test(), 39,282 bytes (38.36 KiB);
 * the chat-completions and Responses decoders closures, 39,226 bytes (38.31 KiB);
 * the persistence module a closure, 39,222 bytes (38.30 KiB);
 * sixteen rewrites in the element, 39,097 bytes (38.18 KiB);
 * the stream buffer and a streamed turn closures, 39,043 bytes (38.13 KiB);
 * the paragraph of an open list item patched and cached as one alone, 39,075 bytes (38.16 KiB);
 * questions and answers of only white space without bubble or Copy, turns max-steps ended marked after a reload, 39,117 bytes (38.20 KiB);
 * labels and suggestions equal to those before render nothing, 39,133 bytes (38.22 KiB);
 * labels and suggestions compared as they were when set, 39,164 bytes (38.25 KiB);
 * fourteen rewrites in the core, 39,069 bytes (38.15 KiB);
 * seven rewrites in the element, 39,049 bytes (38.13 KiB);
 * the turns max-steps ended stored as a list, 39,054 bytes (38.14 KiB);
 * the typing dots kept while an answer streams only white space, 39,090 bytes (38.17 KiB);
 * an answer a retry() goes on from out of the limited list, 39,115 bytes (38.20 KiB);
 * the limited answers handed as the set they are, 39,112 bytes (38.20 KiB);
 * beyondText() for a question's parts, 39,094 bytes (38.18 KiB);
 * files sent to Mistral as its own parts, 39,139 bytes (38.22 KiB);
 * an empty answer marked and said, a moved element's turn end shown, 39,271 bytes (38.35 KiB);
 * a task list's boxes drawn, 39,323 bytes (38.40 KiB);
 * a task item's paragraph and a tight item's after its parts patched, 39,371 bytes (38.45 KiB);
 * the empty marker mended, Mistral's parts on its API only, 39,435 bytes (38.51 KiB);
 * an error whole on a phone, a task's box for its bullet, 39,479 bytes (38.55 KiB);
 * four Markdown size rewrites, 39,443 bytes (38.52 KiB);
 * an empty turn's marker kept with storage-key, 39,453 bytes (38.53 KiB);
 * a task's box to do empty in Firefox, 39,456 bytes (38.53 KiB);
 * the log's room beside a long error, a task's box in its bullet's room, 39,495 bytes (38.57 KiB);
 * nine core size rewrites, 39,441 bytes (38.52 KiB);
 * two element size rewrites, 39,422 bytes (38.50 KiB);
 * the two markers' rule in one function, 39,429 bytes (38.50 KiB);
 * the status region saying the page's answer to an empty turn and a failed turn's earlier steps, a composer whole in a short chat, 39,541 bytes (38.61 KiB);
 * a task's words placed, Retry kept in view, four rewrites, 39,533 bytes (38.61 KiB);
 * eleven rewrites in the core, 39,506 bytes (38.58 KiB);
 * a loaded conversation not said, the composer's width in a dialog, the error's message a tab stop, 39,526 bytes (38.60 KiB);
 * an empty turn asked again not marked, a page's replacing answer said, a cut empty answer marked cut after a reload, 39,539 bytes (38.61 KiB);
 * three rewrites, 39,536 bytes (38.61 KiB);
 * the error's message a tab stop only while it scrolls, the input sized by rows in WebKit, 39,602 bytes (38.67 KiB);
 * a definition with an empty title as commonmark.js 0.31 reads it, a dead guard out, 39,589 bytes (38.66 KiB);
 * a font without a line height grows the input, an empty answer to tool results alone no TypeError, 39,597 bytes (38.67 KiB);
 * Jump to latest gone from an emptied chat, four rewrites, 39,583 bytes (38.66 KiB);
 * the composer's least height, lines of at least 1.2em where a script sizes the input, 39,605 bytes (38.68 KiB);
 * 6 December (2): Together's finish reason, Jump to latest on another conversation, an error's lines, named tables, −45 in the core, 39,715 bytes (38.78 KiB);
 * 6 December (3): a code block's scroller named, 39,725 bytes (38.79 KiB);
 * 6 December (4): the last render's messages as their count and the last, 39,729 bytes (38.80 KiB);
 * 6 December (5): Copy as HTML, Zhipu, the log's observer, six style moves, 39,824 bytes (38.89 KiB);
 * 6 December (6): Jump to latest's empty last message, the observer letting go, 39,852 bytes (38.92 KiB);
 * 6 December (7): the last message's text read only when needed, 39,854 bytes (38.92 KiB);
 * 6 December (8): retries, decoders, observers, long runs of letters, 40,327 bytes (39.38 KiB);
 * 6 December (9): a chat put back keeps its observations, pieces() bounded by characters, 40,340 bytes (39.39 KiB);
 * 6 December (10): long runs on more surfaces, Hunyuan's citations, MiniMax's and Qianfan's errors, observers after a put-back, an open paragraph settled at its spaces, 40,674 bytes (39.72 KiB);
 * 6 December (11): the error and the composer at large fonts and in old browsers, flicker-free URLs in streamed Markdown, text areas unkerned, the status region's tool runs and lists, endpoints without a scheme, an early stop marked, MiniMax's and Qianfan's retries, 41,103 bytes (40.14 KiB);
 * 6 December (12): DeepInfra's errors, the stop's mark stored apart, Copy's directions, endpoints without a path, respond()'s refused promises, Anthropic's pauses with the page's calls, the error at large fonts, streamed Markdown's last flickers, tool cards capped, 41,475 bytes (40.50 KiB);
 * 6 December (13): a tool's streaming arguments follow their end until the reader scrolls up, 41,534 bytes (40.56 KiB);
 * 6 December (14): Copy of refusals and sources, Send at 200%, two send()s in a task, streamed Markdown's long words and holds, tool cards' names and scrolls, ascii_only, 42,012 bytes (41.03 KiB);
 * 6 December (15): a turn's start said when it replaces another, Copy's refusals, plain links and plain-text sources, tables' last cells and the in-word cut of any script, a byte hunt (two of its four changes reverted), 42,340 bytes (41.35 KiB);
 * 7 December (16): the status region's ends of one task, Copy's blank lines, invisible titles and page-only attributes, a URL before a link's brackets held, a task's box on its list's side, chat-completions' tools without parameters and later GPTs' max_completion_tokens, 42,595 bytes (41.60 KiB);
 * 7 December (16), mended, 42,592 bytes (41.59 KiB);
 * 7 December (16), send()+stop() reverted, 42,575 bytes (41.58 KiB);
 * 7 December (17), a day of new-user hunts, 42,767 bytes (41.76 KiB); 7 December (18), a day of new-user hunts and reviews, 44,134 bytes (43.10 KiB); 7 December (19), the day's hunts and reviews +952, 45,086 bytes (44.03 KiB); 7 December (20), the last round's fixes +68, 45,154 bytes (44.10 KiB); 7 December (21), the change read again −6, 45,148 bytes (44.09 KiB); 7 December's third session of hunts and reviews, 46,840 bytes (45.74 KiB); the third session's change read again, 46,842 bytes (45.74 KiB); 7 December (24), a fourth session of hunts and reviews +1,575, 48,417 bytes (47.28 KiB); 7 December (25), a fifth session of hunts and reviews +991, 49,408 bytes (48.25 KiB); 7 December (26), a sixth session, 49,832 bytes (48.66 KiB); 7 December (27), the seventh session's audits, 50,332 bytes (49.15 KiB); docs/performance.md's table has every change.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { minify } from 'terser';
import { build } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const limitArg = process.argv.indexOf('--limit');
const limit = limitArg === -1 ? 49.16 * 1024 : Number(process.argv[limitArg + 1]);

const gzipSize = (code) => gzipSync(code, { level: 9 }).length;

/** Bundles `source` (an ES module's text) alone, minified like the CDN bundle; returns its gzip size. */
async function bundledSize(source) {
  const id = '\0size-entry.js';
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    plugins: [{ name: 'size-entry', resolveId: (name) => (name.endsWith('size-entry') ? id : null), load: (name) => (name === id ? source : null) }],
    build: {
      write: false,
      lib: { entry: 'size-entry', formats: ['es'], fileName: () => 'entry.js' },
      target: 'es2022',
      rolldownOptions: { output: { codeSplitting: false, minify: true, comments: { legal: true, annotation: false, jsdoc: false } } },
    },
  });
  const [result] = Array.isArray(output) ? output : [output];
  // The second pass the CDN build runs (vite.config.ts, terserPass).
  const { code } = await minify(result.output[0].code, { module: true, compress: { passes: 2 }, format: { comments: /^!/ } });
  return gzipSize(code);
}

const total = gzipSize(readFileSync(`${root}dist/stream-chat.js`));
const highlighter = gzipSize(readFileSync(`${root}dist/stream-chat-highlight.js`));
const lit = await bundledSize("export { LitElement, html, css, nothing } from 'lit';");
const parser = await bundledSize("export { createParser } from 'eventsource-parser';");
const both = await bundledSize("export { LitElement, html, css, nothing } from 'lit'; export { createParser } from 'eventsource-parser';");
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KiB`;

console.log('| dist/stream-chat.js (gzip -9) | size |');
console.log('|---|---:|');
console.log(`| Lit (LitElement, html, css, nothing) | ${kb(lit)} |`);
console.log(`| eventsource-parser (createParser) | ${kb(parser)} |`);
console.log(`| stream-chat-element's own code (total − Lit and parser bundled together, ${kb(both)}) | ${kb(total - both)} |`);
console.log(`| **total** | **${kb(total)}** |`);
console.log(`| dist/stream-chat-highlight.js, the highlighter (loaded with \`highlight\`; not in the total) | ${kb(highlighter)} |`);
const persistence = gzipSize(readFileSync(`${root}dist/stream-chat-persistence.js`));
console.log(`| dist/stream-chat-persistence.js, what keeps the conversation (loaded with \`storage-key\`; not in the total) | ${kb(persistence)} |`);
for (const protocol of ['openai-responses', 'anthropic']) {
  const chunk = gzipSize(readFileSync(`${root}dist/stream-chat-${protocol}.js`));
  console.log(`| dist/stream-chat-${protocol}.js, the protocol (loaded with \`protocol="${protocol}"\`; not in the total) | ${kb(chunk)} |`);
}
if (total > limit) {
  console.error(`dist/stream-chat.js is ${total} bytes gzipped, over the limit of ${limit}.`);
  process.exit(1);
}
console.log(`Within the limit of ${kb(limit)}.`);
