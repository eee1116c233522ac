import type { ReactiveElement } from 'lit';
import type { Conversation } from '../core/conversation.js';
import type { ChatMessage, DoneDetail, WarningDetail } from '../core/types.js';
import type { KeepController } from './keep-controller.js';

/**
 * What is stored under the key. Versioned, so that data of another shape (corrupt, another
 * script's, a later version's) is recognised and left alone.
 */
interface Saved {
  v: 1;
  messages: ChatMessage[];
  /** Indices of the messages a turn in flight had reached when the page went away. */
  interrupted: number[];
  /**
   * Indices of the answers stopped, and of the questions whose answer was stopped before any of it
   * came (not in data written before it was; the last version wrote those as [index, "aborted"] in
   * {@link empty}).
   */
  stopped?: number[];
  /** Indices of the answers of turns that `max-steps` ended (not in data written before it was). */
  limited?: number[];
  /**
   * The last message of each turn that ended with no answer to show, as [index, why its last
   * response ended] (not in data written before it was).
   */
  empty?: Array<[number, string | null]>;
  /** Written while a turn was in flight: other tabs wait for its complete write. */
  streaming: boolean;
}

/** The element whose conversation is kept: its `storageKey`, and where `warning` is dispatched. */
type Host = ReactiveElement & { readonly storageKey: string };

/**
 * While an answer streams, it is saved at most this often (ms), and less often when a save takes
 * longer than {@link SAVING_SHARE} of that: a long conversation takes milliseconds to write.
 */
const STREAMING_SAVE_MS = 250;
/** The most of the main thread that saves take while an answer streams. */
const SAVING_SHARE = 0.05;

/**
 * The stored result of a tool call still open, so that the history stays one a provider accepts.
 * A stop's: it begins as the core's (STOPPED in conversation.ts, by which `toolState()` says
 * `stopped`; not imported, this chunk takes only types from the bundle), a closed page being
 * stopped, not failed: its card says Stopped.
 */
const INTERRUPTED_RESULT = 'Error: stopped by the user before the tool returned a result: the page was closed.';
/**
 * The stored result of a call that waited for the page (its tool has no `execute`): no tool ran,
 * as a stop's says (STOPPED's words for it in conversation.ts).
 */
const UNANSWERED_RESULT = 'Error: stopped by the user before the call was answered: the page was closed.';
/**
 * The stored result of a call of the answer still streaming as the page went: not run (tools run
 * once their answer is whole), which the model is told plainly (a call to send an email did not).
 */
const UNRUN_RESULT = 'Error: stopped by the user before the call was run: the page was closed.';

/**
 * The stored result of a call the length limit, or the content filter, cut, which was not run: the
 * one the core gives it at the next question (`notRun` in conversation.ts, not imported), by which
 * a restored card says Stopped, as it did (the core knows no finish reason of a restored answer).
 */
const notRun = (reason: string | null | undefined) =>
  reason == 'length' ? 'Error: stopped by the length limit before the call was complete: it was not run.' : reason == 'content_filter' ? 'Error: stopped by the content filter before the call was run.' : undefined;

/**
 * The elements of this page in it that keep a conversation, as what each does with another's write
 * under a key: the `storage` event tells only other pages.
 */
const kept = new Set<(key: string, text: string | null) => void>();

/** What keeps an element's conversation: see {@link persistence}. */
export type Persistence = ReturnType<typeof persistence>;

/**
 * Keeps the element's conversation in `localStorage` under `storageKey`: restored on connect,
 * saved on every change and, while an answer streams, at most every {@link STREAMING_SAVE_MS} ms
 * and on `pagehide`, so a reload keeps the partial answer, marked interrupted. localStorage, not
 * IndexedDB: it writes synchronously, so the save on `pagehide` lands, and its `storage` event
 * tells the other tabs. Storage that throws, or data under the key that is not a conversation, is
 * reported with a `warning`, once for each key, and never breaks the chat.
 *
 * Added to a connected host, it restores the conversation stored under the host's key at once.
 * Its changes are saved also while the element is out of the page (a `clear()` there, the answer
 * its removal stopped, marked, or its question when none of it had come, unless the page emptied
 * storage or wrote under the key in the task that removed it). `limited`: the answers of
 * turns that `max-steps` ended, `empty`: the last message of each turn that ended with no answer
 * to show, by its finish reason (or its question, by a stop), and `interrupted`: what a failure
 * cut short, once the failure ends, which the view marks (see LiveStatus's): stored with the
 * conversation, and those restored added to them.
 */
export function persistence(host: Host, conversation: Conversation, { limited, empty, interrupted }: Pick<KeepController, 'limited' | 'empty' | 'interrupted'>) {
  /** The answers that were restored stopped, for the view to mark. */
  const stopped = new WeakSet<ChatMessage>();
  /** The key whose conversation this is. */
  let key = '';
  /** What this element last read or wrote under the key; null: nothing. A save writes only what differs. */
  let written: string | null = null;
  /**
   * What was last written under the key as this element heard it (its own writes, another element's
   * or tab's, also while it kept its own: busy, its next write wins): not a write of the page alone.
   */
  let other: string | null | undefined;
  /**
   * What another tab wrote while the reader edited a question, shown once the form is gone (a
   * Cancel): kept, the chat's next question was sent without it and written over it. Any change of
   * this conversation (a Save) drops it: that write wins.
   */
  let held: string | null | undefined;
  /** The key holds data this element cannot read: it is left as it is, and nothing is saved. */
  let foreign = false;
  let warned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** How long the last write took (ms): the next save while an answer streams waits 1 / {@link SAVING_SHARE} times that. */
  let took = 0;
  /**
   * While an answer streams, the JSON of the messages before it, which do not change then: each
   * save writes only the answer anew. Dropped when the conversation is idle (a host may change a
   * message in place, then set it again).
   */
  let json: WeakMap<ChatMessage, string> | undefined;
  let listening: AbortController | undefined;
  /**
   * Set by a change the host makes under a new key its update has not applied yet (see {@link before}):
   * 0 none yet, 1 messages set, 2 cleared. That change is the new key's.
   */
  let early: number | undefined;
  /**
   * Taken out of the page with a turn in flight, until the next task: the messages then, and the
   * answer streaming. The stop the removal makes comes a microtask later, after what the page did in
   * that task, and only adds that answer and results to them; a change of the page's own (other
   * messages set, also ones added before or after them, `clear()`) does not, and is saved.
   */
  let removed: [ChatMessage[], ChatMessage?] | false | undefined;

  const controller = {
    stopped,

    /** The key whose conversation this is: the host's, once its update applied it. */
    get key(): string {
      return key;
    },

    /** Back in the page under the same key, an idle chat shows what another tab stored meanwhile. */
    hostConnected(): void {
      const was = key;
      controller.hostUpdate();
      // Back: a turn that ended out of the page (a host that re-parents the element on its last
      // change) dispatched no `done`, and its marks are saved now.
      if (was && was === key) takeStored(), saveMarked();
      kept.add(heard);
      const options = { signal: (listening = new AbortController()).signal };
      addEventListener('pagehide', handleEvent, options);
      addEventListener('pageshow', handleEvent, options);
      addEventListener('storage', handleEvent, options);
    },

    /**
     * A new key: the conversation stored under it replaces the one shown. The old key keeps what
     * arrived of an answer streaming now, as when the page goes: other tabs do not wait for its end.
     */
    hostUpdate(): void {
      const next = host.storageKey;
      const previous = key;
      const change = early;
      early = undefined;
      if (next === previous) return void (change && save());
      if (previous && change === undefined) save(true);
      key = next;
      written = null;
      held = undefined;
      // Once per key: a problem with the new key's storage is its own (a conversation switcher's next one).
      foreign = warned = false;
      if (!key) return;
      const text = use((storage) => storage.getItem(key));
      // Messages set with the key stay when nothing is stored under it, as under the first key.
      if (change !== 2) return apply(text, false, !previous || !!change);
      // Cleared with it: what is stored there goes, and what the host set since (a greeting) is saved.
      written = text ?? null;
      save();
    },

    /**
     * The edit form gone, what another tab wrote meanwhile shows: after this update (a change in it
     * is one more update, which Lit warns of).
     */
    hostUpdated(): void {
      if (held !== undefined) queueMicrotask(() => held !== undefined && take(held));
    },

    /**
     * Before the host changes the conversation (sets `messages`, clears it) under a new key its
     * update has not applied yet: the old key keeps the conversation as it is now, and the change
     * goes with the new key (a conversation stored there replaces messages set, as under the first
     * key; `clear()` removes it). Before, the change was saved under the old key.
     */
    before(): void {
      if (host.storageKey === key || early !== undefined) return;
      save(true);
      early = 0;
    },

    hostDisconnected(): void {
      kept.delete(heard);
      listening?.abort();
      removed = conversation.status != 'idle' && [conversation.messages, conversation.draft?.message];
      setTimeout(() => (removed = false));
    },

    /** Starts a new conversation, and removes the one stored, even one this element could not read. */
    clear(): void {
      controller.before();
      if (early !== undefined) early = 2;
      foreign = false;
      conversation.clear();
    },
  };

  /**
   * The conversation changed, or the page goes: save. Another tab changed the stored conversation:
   * an idle chat shows it; a busy one keeps its own, and its next write wins. What is stored is read
   * now, not taken from the event: one that arrives late (two tabs that wrote at once) is older
   * than what this tab wrote since.
   */
  function handleEvent(event: Event): void {
    if (event.type === 'change') {
      held = undefined;
      // No answer streams (it ended, or a stop, also the element's removal, ended it): nor do its
      // timed saves. One left wrote later what came since, such as messages a new key keeps unsaved
      // until its next change, after the page had taken the element out and emptied storage.
      if (!conversation.draft) clearTimeout(timer), (timer = undefined);
      if (early !== undefined) return void (early ||= 1);
      if (!host.isConnected) {
        // A page that took the element out and, in the same task, emptied storage or wrote under the
        // key (a sign-out) keeps what it did: the stop the removal made is not written over it, also
        // when the page set `messages` to what they were then (its own change, as `clear()` or other
        // messages, is saved). (Not another element's or tab's write heard before: a busy chat's next
        // write wins, as ever.)
        const [list, draft] = removed || [];
        const { messages } = conversation;
        if (list && messages.length >= list.length && messages.every((message, at) => message === (list[at] ?? (message.role == 'tool' ? message : draft))) && ![written, other].includes(use((storage) => storage.getItem(key)))) return;
        // Out of the page, a turn's end dispatches no `done`, at which its marks are saved (the question
        // of one its removal stopped before any of its answer came): saved once the view has set them.
        queueMicrotask(saveMarked);
      }
    }
    // Back from the back/forward cache, an idle chat shows what another page stored meanwhile: Firefox
    // and Safari give it none of the storage events it missed there, and its next write would win.
    if (event.type === 'pageshow') return void ((event as PageTransitionEvent).persisted && key && takeStored());
    if (event.type !== 'storage') return save(event.type === 'pagehide', event.type === 'pagehide');
    const { key: changed, storageArea } = event as StorageEvent;
    // (localStorage read as each use of it is: a page may have made it throw.)
    if (key && (changed ?? key) === key && storageArea === use((storage) => storage)) takeStored();
  }

  /**
   * Saves the marks of the turn that ended last (see the `done` listener), or of one `stopped` (its
   * question's, when none of its answer came), unless a new key's change waits.
   */
  function saveMarked(stopped?: boolean): void {
    const last = conversation.messages.findLast((message) => message.role !== 'tool');
    if (early === undefined && (stopped || (last && (limited.has(last) || empty.has(last))))) save();
  }

  /** What is stored under the key now, unless reading it throws (that is not "nothing stored"). */
  function takeStored(): void {
    const text = use((storage) => storage.getItem(key));
    if (text !== undefined) take(text);
  }

  /** Another element of this page wrote `text` under `under`: taken as another tab's, if that is the key. */
  function heard(under: string, text: string | null): void {
    if (under === key) take(text);
  }

  /**
   * What another tab stored under the key, unless it is what this element last read or wrote: an
   * idle chat shows it, unless the reader is editing a question in it (the form, and what they
   * typed, went with the message it edits): it shows once they cancel ({@link held}).
   */
  function take(text: string | null): void {
    other = text;
    held = undefined;
    if (text === written || conversation.status !== 'idle') return;
    if (host.renderRoot.querySelector('.edit')) held = text;
    else apply(text, true);
  }

  /**
   * Shows the conversation `text` holds. Nothing stored (null) is a new conversation, except under
   * the `first` key set, where what the host set stays. Data that is not a conversation is left
   * alone; under a new key, a new conversation shows, not the last key's.
   */
  function apply(text: string | null = null, fromOtherTab?: boolean, first?: boolean): void {
    if (text === null && first) return;
    // Another tab's turn still in flight, as this element writes it: its complete write follows, and a long conversation takes milliseconds to parse.
    if (fromOtherTab && text?.endsWith(',"streaming":true}')) return;
    let saved: Saved | undefined;
    try {
      // Whatever is not in the shape throws on the way (no array to call `every` on, a null to read from, …).
      saved = JSON.parse(text ?? '{"v":1,"messages":[],"interrupted":[]}') as Saved;
      const { messages, interrupted: cuts, stopped: stops = [], limited: limits = [], empty: empties = [] } = saved;
      if (saved.v !== 1 || !messages.every(isMessage) || ![cuts, stops, limits, empties].every(Array.isArray)) throw saved;
      // (An index out of range throws: a WeakSet or WeakMap takes no undefined; so do one that is not
      // a number ("0" is not what this element writes) and a pair that is not a list. A reason that is
      // not text is none, as the protocols read one now: data written before they did may hold one.)
      const of = (at: number) => messages[typeof at == 'number' ? at : -1]!;
      for (const at of cuts) interrupted.add(of(at));
      // (A question in `stopped`, its answer stopped before any of it came, is marked so in `empty`, as
      // the view marks it: STOPPED in messages.ts, true, not imported. So is one in `empty` as
      // "aborted": the last version stored a stop so, and nothing else stored that word.)
      for (const at of stops) of(at).role == 'user' ? empty.set(of(at), true) : stopped.add(of(at));
      for (const at of limits) limited.add(of(at));
      for (const [at, why] of empties) empty.set(of(at), why == 'aborted' || (typeof why == 'string' ? why : null));
      // Another tab's turn still in flight: its complete write follows.
      if (fromOtherTab && saved.streaming) return;
    } catch {
      saved = undefined;
    }
    // Another tab's turn still in flight, restored: not written back as ended, so that other tabs wait for its complete write.
    written = saved?.streaming ? text!.replace(/true}$/, 'false}') : text;
    foreign = !saved;
    if (saved || !(first || fromOtherTab)) conversation.messages = saved?.messages ?? [];
    if (!saved) warn('what is stored there is not a conversation, and is left as it is.');
  }

  /**
   * Writes the conversation if it changed; while an answer streams, again in {@link STREAMING_SAVE_MS}
   * ms. `last` when the page goes, or the key changes: its turn ends there, so other tabs take the
   * write as complete; `gone` when the page goes (see {@link snapshot}).
   */
  function save(last = false, gone = false): void {
    if (!key || foreign) return;
    const start = performance.now();
    if (conversation.draft) {
      json ??= new WeakMap();
      timer ??= setTimeout(
        () => {
          timer = undefined;
          save();
        },
        Math.max(STREAMING_SAVE_MS, took / SAVING_SHARE),
      );
    } else json = undefined;
    let text: string | null;
    try {
      text = snapshot(conversation, interrupted, stopped, limited, empty, last, gone, json);
    } catch (error) {
      // Messages it could not restore: the last write stays, and saving starts again with other messages.
      return warn(`a message cannot be stored (${(error as Error).message})`);
    }
    // A write that failed (a full quota) is tried again at the next change.
    if (text !== written && use((storage) => (text ? storage.setItem(key, text) : storage.removeItem(key), true))) {
      written = text;
      // Another element of this page with the key, as another tab would.
      for (const other of kept) other(key, text);
      took = performance.now() - start;
    }
  }

  /** Runs `action` on localStorage; when it throws (no storage, a full quota), warns. */
  function use<T>(action: (storage: Storage) => T): T | undefined {
    try {
      return action(localStorage);
    } catch (error) {
      warn(String(error));
    }
  }

  /** Once per key, a task later: a listener the page adds right after defining or creating the element still hears it. */
  function warn(problem: string): void {
    if (warned) return;
    warned = true;
    const detail: WarningDetail = { message: `Not saved under "${key}": ${problem}` };
    setTimeout(() => host.dispatchEvent(new CustomEvent('warning', { detail, bubbles: true, composed: true })));
  }

  conversation.addEventListener('change', handleEvent);
  // A turn's change comes before its `done`, at which the view (LiveStatus) marks an answer whose turn
  // `max-steps` ended, or the last message of one with no answer to show (a question whose answer was
  // stopped before any of it came, also one a send() left behind: not the last): saved again then,
  // for those lists. (Not after a new key's `clear()` or `messages`, which a stopped turn's comes
  // after, nor after those by a listener before this one: that saved them under the old key.)
  host.addEventListener('done', (event) => saveMarked((event as CustomEvent<DoneDetail | undefined>).detail?.aborted));
  host.addController(controller);
  return controller;
}

/**
 * The conversation as stored; null when it is empty. While a turn is in flight the page may go
 * before it ends: what arrived of its answer is in, and its last message but tool results (its
 * question, or the answer whose calls ran) is marked interrupted. So is an answer a failure cut
 * short (or, when none of it came, its question), which is how a reload ends a stream in Chromium:
 * the request is cut before `pagehide`. A tool call without a result gets one that says so (as the
 * page goes, `gone`, also one a host without `tools` has not answered). The write as the page goes,
 * or the key changes (`last`), is not marked streaming: the turn ends there, so an idle tab takes
 * it. Throws for messages it could not restore, or that JSON cannot hold. `json` keeps the JSON of
 * the conversation's messages (not the answer streaming, not the results added here).
 */
function snapshot(
  conversation: Conversation,
  interrupted: WeakSet<ChatMessage>,
  stopped: WeakSet<ChatMessage>,
  limited: WeakSet<ChatMessage>,
  empty: WeakMap<ChatMessage, string | null | true>,
  last: boolean,
  gone: boolean,
  json?: WeakMap<ChatMessage, string>,
): string | null {
  const { draft, status, failure, messages: past } = conversation;
  let messages = past;
  if (draft?.arrived) messages = [...messages, draft.message];
  const end = messages.findLast((message) => message.role !== 'tool');
  const cut = status !== 'idle' ? end : failure && (failure.partial ?? end);
  // (Calls the conversation itself answered, cut short, already have their results after it. As the
  // page goes, calls a host without `tools` has not answered are cut short too: it cannot answer them after a reload.
  // Only the calls of a turn that ended here: another tab's host may be answering those it shows.)
  // Those the length limit or the content filter cut, never run, get the result they will have (see notRun).
  const limit = notRun(conversation.finishReasonOf(end!));
  const open = cut || (limit || (gone && conversation.statsOf(end!)) ? end : undefined);
  if (open?.tool_calls && open === messages.at(-1)) {
    messages = [...messages, ...open.tool_calls.map((call) => conversation.toolResult(call) ?? { role: 'tool', tool_call_id: call.id, content: limit ?? (open === draft?.message ? UNRUN_RESULT : conversation.toolState(call) == 'waiting' ? UNANSWERED_RESULT : INTERRUPTED_RESULT) })];
  }
  if (!messages.every(isMessage)) throw new TypeError('it could not be restored');
  if (!messages.length) return null;
  const texts = messages.map((message, at) => {
    if (!json || at >= past.length) return JSON.stringify(message);
    let text = json.get(message);
    if (text === undefined) json.set(message, (text = JSON.stringify(message)));
    return text;
  });
  const marked = (was: (message: ChatMessage) => boolean) => messages.flatMap((message, at) => (was(message) ? [at] : []));
  // A list written only when it has one: a conversation without stays as it was written before it was.
  const listed = (name: string, list: unknown[]) => (list.length ? `"${name}":${JSON.stringify(list)},` : '');
  // A question whose answer was stopped before any of it came is in `stopped`, and a provider's
  // "aborted" is stored as no reason: in `empty`, that word is a stop the last version stored. An
  // answer with text the provider cut (its length limit, its content filter) is in `empty` too, by
  // that reason: restored, the view marks it from there, as the conversation's finish reason.
  const why = (message: ChatMessage) => {
    const reason = conversation.finishReasonOf(message);
    return empty.has(message) ? empty.get(message) : reason == 'length' || reason == 'content_filter' ? reason : false;
  };
  // JSON.stringify of a Saved, written from its messages' JSON ("streaming" last: other tabs read
  // it there). (A stop is the conversation's to say while it is in it, as set; restored, ours.)
  return `{"v":1,"messages":[${texts.join()}],"interrupted":[${marked((message) => message === cut || interrupted.has(message))}],${listed('stopped', marked((message) => conversation.wasStopped(message) || stopped.has(message) || why(message) === true))}${listed('limited', marked((message) => limited.has(message)))}${listed('empty', marked((message) => typeof why(message) != 'boolean').map((at) => [at, why(messages[at]!) == 'aborted' ? null : why(messages[at]!)]))}"streaming":${status !== 'idle' && !last}}`;
}

/** Text, or none: what the view shows as text (an object there would be rendered as a template). */
const isText = (value: unknown) => value == null || typeof value == 'string';

/**
 * A message the view renders and the protocols send: a string role, content a string, null or
 * parts (text ones with their text, images with their URLs, files with their data or id, those
 * and a name as text or none), reasoning and a refusal as text, tool calls with a function (its
 * name and arguments text or none), a provider's tools with their names, sources with their
 * URLs, thinking blocks with their types. Content, calls or lists of another type throw.
 */
function isMessage({ role, content, reasoning, refusal, tool_calls: calls, server_tools: tools, sources, thinking_blocks: thinking }: ChatMessage): boolean {
  return (
    typeof role == 'string' &&
    [reasoning, refusal].every(isText) &&
    (typeof content == 'string' ||
      (content ?? []).every(
        (part) =>
          part.type &&
          (part.type != 'text' || typeof part.text == 'string') &&
          (part.type != 'image_url' || typeof part.image_url?.url == 'string') &&
          // (An object of any window: messages may be set from another frame's.)
          (part.type != 'file' || (Object(part.file) === part.file && (part.file.file_data || part.file.file_id) && [part.file.file_data, part.file.file_id, part.file.filename].every(isText))),
      )) &&
    // (A call's function an object: one that was text passed, its name and arguments none.)
    (calls ?? []).every((call) => Object(call.function) === call.function && isText(call.function.name) && isText(call.function.arguments)) &&
    (tools ?? []).every((tool) => typeof tool.name == 'string' && typeof tool.at == 'number' && isText(tool.detail)) &&
    (sources ?? []).every((source) => typeof source.url == 'string' && isText(source.title)) &&
    (thinking ?? []).every((block) => typeof block?.type == 'string')
  );
}
