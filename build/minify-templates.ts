import type { Plugin } from 'vite';

/**
 * Shrinks the static text of Lit's `html` and `css` tagged templates in our own sources for the
 * CDN bundle: the JS minifier leaves template text alone, and indentation, comments and blank
 * lines there were a third of the element's gzip size. Only whitespace and CSS comments change.
 */
export function minifyTemplates(include: RegExp): Plugin {
  return {
    name: 'stream-chat:minify-templates',
    enforce: 'post',
    transform(code, id) {
      if (!include.test(id)) return null;
      return { code: rewriteTemplates(code), map: null };
    },
  };
}

type Tag = 'html' | 'css';

/** Walks JS source, rewriting the static parts of templates tagged `html` or `css`. */
export function rewriteTemplates(source: string): string {
  let out = '';
  let i = 0;
  // Scans a template literal starting after its backtick; returns the index after its closing backtick.
  const template = (start: number, tag: Tag | undefined): number => {
    let j = start;
    let text = '';
    const flush = () => {
      out += tag ? minify(text, tag) : text;
      text = '';
    };
    while (j < source.length) {
      const char = source[j]!;
      if (char === '\\') {
        text += source.slice(j, j + 2);
        j += 2;
      } else if (char === '`') {
        flush();
        out += '`';
        return j + 1;
      } else if (char === '$' && source[j + 1] === '{') {
        flush();
        out += '${';
        j = code(j + 2, true);
      } else {
        text += char;
        j++;
      }
    }
    flush();
    return j;
  };
  // Copies code until the end (or, inside `${…}`, until its closing brace); returns the index after it.
  const code = (start: number, inExpression: boolean): number => {
    let j = start;
    let depth = 0;
    while (j < source.length) {
      const char = source[j]!;
      if (char === '`') {
        const tag = /(?:^|[^\w$.])(html|css)\s*$/.exec(out)?.[1] as Tag | undefined;
        out += '`';
        j = template(j + 1, tag);
      } else if (char === '"' || char === "'") {
        const end = stringEnd(source, j);
        out += source.slice(j, end);
        j = end;
      } else if (char === '/' && source[j + 1] === '/') {
        const end = source.indexOf('\n', j);
        j = end === -1 ? source.length : end;
      } else if (char === '/' && source[j + 1] === '*') {
        const end = source.indexOf('*/', j + 2);
        j = end === -1 ? source.length : end + 2;
      } else {
        if (inExpression && char === '{') depth++;
        if (inExpression && char === '}') {
          if (depth === 0) {
            out += '}';
            return j + 1;
          }
          depth--;
        }
        out += char;
        j++;
      }
    }
    return j;
  };
  i = code(0, false);
  return i >= source.length ? out : out + source.slice(i);
}

function stringEnd(source: string, start: number): number {
  const quote = source[start];
  let j = start + 1;
  while (j < source.length && source[j] !== quote) j += source[j] === '\\' ? 2 : 1;
  return j + 1;
}

function minify(text: string, tag: Tag): string {
  if (tag === 'html') return text.replace(/\s*\n\s*/g, ' ').replace(/>\s+</g, '><');
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}
