// README's Headless samples, as a Node project without the DOM lib compiles them.
import { Conversation, StreamChatError, type DoneDetail } from 'stream-chat-element/core';

const chat = new Conversation({
  endpoint: 'https://api.openai.com/v1/chat/completions',
  key: process.env['OPENAI_API_KEY'] ?? '',
  model: 'gpt-4o-mini',
  tools: [
    {
      name: 'word_count',
      description: 'Counts the words in a text.',
      parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      execute: ({ text }: { text: string }) => ({ words: text.split(/\s+/).filter(Boolean).length }),
    },
  ],
  maxSteps: 3,
});
chat.addEventListener('chunk', (event) => console.log(event.detail.delta));
chat.addEventListener('tool-call', (event) => console.log('calling', event.detail.call.function.name, event.detail.args));
chat.addEventListener('error', (event) => console.log(event.detail.error.kind), { once: true });
const listener = () => console.log(chat.status);
chat.addEventListener('change', listener);
chat.removeEventListener('change', listener);
const done: DoneDetail = await chat.send('How many words are in "the quick brown fox"?');
console.log(done.content, `${done.steps.length} responses`, done.stats.tokensPerSecond);
try {
  await chat.send('Again');
} catch (error) {
  if (error instanceof StreamChatError) console.log(error.kind, error.status);
}
// @ts-expect-error: `done`'s detail has no such field.
chat.addEventListener('done', (event) => event.detail.nothing);
