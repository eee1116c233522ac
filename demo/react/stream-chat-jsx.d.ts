// The bare `<stream-chat>` tag in React 19 JSX: properties as props, `onchunk`/`ondone`/`onerror`.
import type { StreamChatElementProps } from '../../src/react.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'stream-chat': StreamChatElementProps;
    }
  }
}
