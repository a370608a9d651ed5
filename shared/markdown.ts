/** The small, safe Markdown the practices write their visit instructions in: paragraphs, lists, bold, links; never HTML. */

/** A run of text; may hold `\n` where the author broke the line (render with `white-space: pre-line`, or `<br>`). */
export interface TextNode {
  type: 'text';
  text: string;
}
export interface StrongNode {
  type: 'strong';
  children: Inline[];
}
/** `href` is always http(s), tel or mailto, already normalised; anything else never becomes a link. */
export interface LinkNode {
  type: 'link';
  href: string;
  children: Inline[];
}
export type Inline = TextNode | StrongNode | LinkNode;

export type Block = { type: 'p'; children: Inline[] } | { type: 'ul' | 'ol'; items: Inline[][] };

const BULLET = /^ {0,3}[-*] +(.*)$/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)] +(.*)$/;
const ESCAPABLE = /[\\*[\]()_#+\-.!`]/;

/** Lines of one paragraph or list item, and how many source lines come before the first of them. */
interface Lines {
  before: number;
  lines: string[];
}

/**
 * Parses the instructions into blocks. Line breaks inside a paragraph or item are kept as `\n`: the people who
 * write these type an address on three lines and expect three lines, whatever CommonMark says.
 * Raw HTML, images, headings and the rest stay literal text. `onRefusedLink` hears the source line (from 1) of each
 * link whose destination `safeHref` refuses, which is drawn as its plain label: how saving names the line to fix.
 */
export function parseMarkdown(src: string, onRefusedLink?: (line: number) => void): Block[] {
  const blocks: Block[] = [];
  // `as`, not a type annotation: `close()` resets these, and TypeScript does not see assignments made in a closure.
  let paragraph = null as Lines | null;
  let list = null as { type: 'ul' | 'ol'; items: Lines[] } | null;
  let blankSinceItem = false;

  // The lines of a paragraph or item are consecutive in the source, so a link's line follows from the breaks before it.
  const inline = ({ before, lines }: Lines) => {
    const text = lines.join('\n');
    return parseInline(text, false, false, onRefusedLink && ((at) => onRefusedLink(before + text.slice(0, at).split('\n').length)));
  };
  const close = () => {
    if (paragraph) blocks.push({ type: 'p', children: inline(paragraph) });
    if (list) blocks.push({ type: list.type, items: list.items.map(inline) });
    paragraph = list = null;
  };

  for (const [index, raw] of src.replace(/\r\n?/g, '\n').split('\n').entries()) {
    const line = raw.trim();
    if (!line) {
      if (paragraph) close();
      blankSinceItem = true;
      continue;
    }
    const bullet = BULLET.exec(raw);
    const numbered = NUMBERED.exec(raw);
    // Like CommonMark, only "1." may interrupt a paragraph, so a line such as "2026. Nouveaux horaires" stays text.
    const item = bullet ? { type: 'ul' as const, text: bullet[1]! } : numbered && (!paragraph || numbered[1] === '1') ? { type: 'ol' as const, text: numbered[2]! } : null;
    if (item) {
      if (list?.type !== item.type) {
        close();
        list = { type: item.type, items: [] };
      }
      list.items.push({ before: index, lines: [item.text.trim()] });
    } else if (list && !blankSinceItem) {
      list.items.at(-1)!.lines.push(line);
    } else if (paragraph) {
      paragraph.lines.push(line);
    } else {
      close();
      paragraph = { before: index, lines: [line] };
    }
    blankSinceItem = false;
  }
  close();
  return blocks;
}

/** The source lines (from 1, each once, in order) holding a link a reader could not open: what saving refuses, by line. */
export function refusedLinkLines(src: string): number[] {
  const lines = new Set<number>();
  parseMarkdown(src, (line) => lines.add(line));
  return [...lines];
}

/** Index of the `**` closing a bold run that starts at `from`, or -1. */
function closingStars(src: string, from: number): number {
  for (let i = from; i < src.length - 1; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '*' && src[i + 1] === '*') return i > from ? i : -1;
  }
  return -1;
}

/** Index just past the `)` matching the `(` at `from`, counting nested parentheses, or -1. */
function closingBracket(src: string, from: number, open: string, shut: string): number {
  let depth = 0;
  for (let i = from; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === open) depth++;
    else if (src[i] === shut && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The only destinations a link may have: http(s) with a host, `mailto:` with an address, `tel:` with digits.
 * Returns the normalised href, or null; never throws. Entities are never decoded, so `javascript&#58;…` is simply not a URL.
 */
export function safeHref(raw: string): string | null {
  const url = raw.trim();
  if (/^tel:/i.test(url)) {
    const number = url.slice(4).replace(/[\s.\-()]/g, '');
    return /^\+?\d{2,20}$/.test(number) ? `tel:${number}` : null;
  }
  if (/[\s\x00-\x1f\x7f]/.test(url)) return null;
  try {
    const parsed = new URL(url);
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname) return parsed.href;
    if (parsed.protocol === 'mailto:' && /^[^@\s]+@[^@\s]+$/.test(decodeURIComponent(parsed.pathname))) return parsed.href;
  } catch {
    // Not a URL, or a `mailto:` whose %-escapes do not decode (`%E0%A4%A`): one bad link must not take the rest with it.
  }
  return null;
}

/** `refused` hears the index in `src` of each link whose destination is refused. */
function parseInline(src: string, inLink = false, inStrong = false, refused?: (at: number) => void): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const push = (node: Inline) => {
    if (node.type !== 'text') {
      if (text) out.push({ type: 'text', text });
      text = '';
      out.push(node);
    } else text += node.text;
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && ESCAPABLE.test(src[i + 1] ?? '')) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '*' && src[i + 1] === '*' && !inStrong) {
      const end = closingStars(src, i + 2);
      if (end > 0) {
        const from = i + 2;
        push({ type: 'strong', children: parseInline(src.slice(from, end), inLink, true, refused && ((at) => refused(from + at))) });
        i = end + 2;
        continue;
      }
    }
    if (c === '[' && !inLink) {
      const labelEnd = closingBracket(src, i, '[', ']');
      const urlEnd = labelEnd > 0 && src[labelEnd] === '(' ? closingBracket(src, labelEnd, '(', ')') : -1;
      if (urlEnd > 0) {
        const children = parseInline(src.slice(i + 1, labelEnd - 1), true, inStrong);
        const href = safeHref(src.slice(labelEnd + 1, urlEnd - 1));
        // A refused destination leaves its label as plain text: the reader loses a link, never gets a dangerous one.
        if (href) push({ type: 'link', href, children });
        else {
          children.forEach(push);
          refused?.(i);
        }
        i = urlEnd;
        continue;
      }
    }
    text += c;
    i++;
  }
  if (text) out.push({ type: 'text', text });
  return out;
}
