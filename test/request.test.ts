import { expect } from '@open-wc/testing';
import { buildChatRequest, type ChatRequestOptions } from '../src/request.js';

function build(options: Partial<ChatRequestOptions>) {
  const { url, init } = buildChatRequest({ endpoint: '/api/chat', messages: [{ role: 'user', content: 'Hi' }], ...options });
  return { url, init, headers: init.headers as Record<string, string>, body: JSON.parse(init.body as string) as Record<string, unknown> };
}

describe('buildChatRequest', () => {
  it('POSTs JSON to the endpoint as given, relative or absolute', () => {
    expect(build({}).url).to.equal('/api/chat');
    expect(build({}).init.method).to.equal('POST');
    expect(build({ endpoint: 'https://api.example.com/v1/chat/completions' }).url).to.equal('https://api.example.com/v1/chat/completions');
  });

  it('without a key: exactly Content-Type and Accept, no Authorization', () => {
    expect(build({}).headers).to.deep.equal({ 'Content-Type': 'application/json', Accept: 'text/event-stream' });
    expect(build({ key: '' }).headers).to.not.have.property('Authorization');
  });

  it('a key is sent as a Bearer Authorization header', () => {
    expect(build({ key: 'sk-test' }).headers).to.deep.equal({
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      Authorization: 'Bearer sk-test',
    });
  });

  it('extra headers are applied last, so they can add and override', () => {
    const { headers } = build({ key: 'sk-test', headers: { 'api-key': 'azure-key', Accept: 'application/json', Authorization: 'Basic x' } });
    expect(headers).to.deep.equal({
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: 'Basic x',
      'api-key': 'azure-key',
    });
  });

  it('the minimal body: messages and stream: true, model omitted when empty', () => {
    expect(build({}).body).to.deep.equal({ messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(build({ model: '' }).body).to.not.have.property('model');
  });

  it('model comes first and the system prompt is the first message', () => {
    const { body } = build({
      model: 'gpt-4o-mini',
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
    });
    expect(body).to.deep.equal({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'Bye' },
      ],
      stream: true,
    });
    expect(Object.keys(body)).to.deep.equal(['model', 'messages', 'stream']);
  });

  it('an empty system prompt sends no system message', () => {
    expect(build({ system: '' }).body['messages']).to.deep.equal([{ role: 'user', content: 'Hi' }]);
  });

  it('temperature and max_tokens are sent only when set, 0 included', () => {
    expect(build({ temperature: 0, maxTokens: 256 }).body).to.deep.include({ temperature: 0, max_tokens: 256 });
    const unset = build({ temperature: null, maxTokens: undefined }).body;
    expect(unset).to.not.have.property('temperature');
    expect(unset).to.not.have.property('max_tokens');
    expect(build({ temperature: Number.NaN }).body).to.not.have.property('temperature');
  });

  it('extra body fields are merged last and can override', () => {
    const { body } = build({
      temperature: 1,
      body: { stream_options: { include_usage: true }, top_p: 0.9, temperature: 0.2 },
    });
    expect(body).to.deep.equal({
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      temperature: 0.2,
      stream_options: { include_usage: true },
      top_p: 0.9,
    });
  });

  it('reasoning is not sent back; tool calls and tool answers are', () => {
    const toolCall = { id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{}' } };
    const { body } = build({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello', reasoning: 'The user greeted me.', tool_calls: [toolCall] },
        { role: 'tool', content: '42', tool_call_id: 'call_1' },
      ],
    });
    expect(body['messages']).to.deep.equal([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello', tool_calls: [toolCall] },
      { role: 'tool', content: '42', tool_call_id: 'call_1' },
    ]);
  });

  it('the messages passed in are not changed', () => {
    const messages = [{ role: 'assistant', content: 'x', reasoning: 'r' }];
    build({ messages });
    expect(messages).to.deep.equal([{ role: 'assistant', content: 'x', reasoning: 'r' }]);
  });
});
