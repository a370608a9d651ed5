// The instructions' Markdown subset: what it builds, and that no input, however hostile, yields anything but text or a safe link.
import { describe, expect, it } from 'vitest';
import { parseMarkdown, refusedLinkLines, safeHref, type Block, type Inline } from '../../shared/markdown.js';
import { INSTRUCTIONS_TEMPLATE } from '../../shared/instructions-template.js';

const text = (t: string): Inline => ({ type: 'text', text: t });

/** Every link of a parse, however deep in bold or lists. */
const links = (blocks: Block[]): string[] => {
  const walk = (nodes: Inline[]): string[] => nodes.flatMap((n) => (n.type === 'text' ? [] : [...(n.type === 'link' ? [n.href] : []), ...walk(n.children)]));
  return blocks.flatMap((b) => (b.type === 'p' ? walk(b.children) : b.items.flatMap(walk)));
};

/** The words of a parse, as a reader sees them. */
const words = (blocks: Block[]): string => {
  const walk = (nodes: Inline[]): string => nodes.map((n) => (n.type === 'text' ? n.text : walk(n.children))).join('');
  return blocks.map((b) => (b.type === 'p' ? walk(b.children) : b.items.map(walk).join('\n'))).join('\n\n');
};

describe('parseMarkdown', () => {
  it('splits paragraphs on blank lines and keeps the line breaks inside one', () => {
    expect(parseMarkdown('Cabinet Martin\n12 rue de la Paix\r\n\n\nMerci.')).toEqual([
      { type: 'p', children: [text('Cabinet Martin\n12 rue de la Paix')] },
      { type: 'p', children: [text('Merci.')] },
    ]);
  });

  it('builds bullet lists from "-" and "*", numbered lists from "1." and "1)"', () => {
    expect(parseMarkdown('- masque\n* gel\n\n1. carte Vitale\n2) ordonnances')).toEqual([
      { type: 'ul', items: [[text('masque')], [text('gel')]] },
      { type: 'ol', items: [[text('carte Vitale')], [text('ordonnances')]] },
    ]);
  });

  it('keeps a list whole across blank lines and folds an unmarked line into the item above', () => {
    expect(parseMarkdown('- un\n\n- deux\n  suite\n\nfin')).toEqual([
      { type: 'ul', items: [[text('un')], [text('deux\nsuite')]] },
      { type: 'p', children: [text('fin')] },
    ]);
  });

  it('lets a list interrupt a paragraph, but not a year that looks like a number', () => {
    expect(parseMarkdown('Apportez :\n- la carte Vitale')).toEqual([
      { type: 'p', children: [text('Apportez :')] },
      { type: 'ul', items: [[text('la carte Vitale')]] },
    ]);
    expect(parseMarkdown('Nouveaux horaires depuis\n2026. Merci')).toEqual([{ type: 'p', children: [text('Nouveaux horaires depuis\n2026. Merci')] }]);
  });

  it('reads **bold**, leaves an unclosed or empty ** as it is, and honours backslash escapes', () => {
    expect(parseMarkdown('Venez **seul** svp')).toEqual([{ type: 'p', children: [text('Venez '), { type: 'strong', children: [text('seul')] }, text(' svp')] }]);
    expect(parseMarkdown('**non fermé')).toEqual([{ type: 'p', children: [text('**non fermé')] }]);
    expect(parseMarkdown('a **** b')).toEqual([{ type: 'p', children: [text('a **** b')] }]);
    expect(parseMarkdown('\\*\\*pas gras\\*\\* et \\[pas un lien\\](https://x.fr)')).toEqual([
      { type: 'p', children: [text('**pas gras** et [pas un lien](https://x.fr)')] },
    ]);
  });

  it('makes links of http(s), tel and mailto, with bold inside and links inside bold', () => {
    const [block] = parseMarkdown('**[Plan d’accès](https://cabinet.fr/plan)** ou [le **01 23 45 67 89**](tel:01 23 45 67 89) ou [écrire](mailto:accueil@cabinet.fr)');
    expect(block).toEqual({
      type: 'p',
      children: [
        { type: 'strong', children: [{ type: 'link', href: 'https://cabinet.fr/plan', children: [text('Plan d’accès')] }] },
        text(' ou '),
        { type: 'link', href: 'tel:0123456789', children: [text('le '), { type: 'strong', children: [text('01 23 45 67 89')] }] },
        text(' ou '),
        { type: 'link', href: 'mailto:accueil@cabinet.fr', children: [text('écrire')] },
      ],
    } satisfies Block);
  });

  it('keeps parentheses inside a URL', () => {
    expect(parseMarkdown('[wiki](https://fr.wikipedia.org/wiki/M%C3%A9decin_(France)) fin')).toEqual([
      { type: 'p', children: [{ type: 'link', href: 'https://fr.wikipedia.org/wiki/M%C3%A9decin_(France)', children: [text('wiki')] }, text(' fin')] },
    ]);
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](javascript&#58;alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](file:///etc/passwd)',
    '[x](//evil.example)',
    '[x](/relative/page)',
    '[x](https://)',
    '[x](mailto:not-an-address)',
    '[x](tel:call-me-maybe)',
  ])('turns %j into its plain label', (src) => {
    expect(parseMarkdown(src)).toEqual([{ type: 'p', children: [text('x')] }]);
  });
});

describe('safeHref', () => {
  it('normalises what it accepts', () => {
    expect(safeHref('HTTPS://Cabinet.FR')).toBe('https://cabinet.fr/');
    expect(safeHref('tel:+33 (0)1 23 45 67 89')).toBe('tel:+330123456789');
    expect(safeHref('https://x.fr/"onmouseover="alert(1)')).toBe('https://x.fr/%22onmouseover=%22alert(1)');
  });

  it.each(['mailto:%E0%A4%A', 'mailto:%', 'mailto:a%ZZ@b.fr', 'mailto:%C3%28@cabinet.fr'])('refuses %j, whose escapes do not decode, without throwing', (href) => {
    expect(safeHref(href)).toBeNull();
  });
});

describe('a link that cannot be opened', () => {
  it('is drawn as its plain label and the rest of the instructions still parse', () => {
    expect(parseMarkdown('Bonjour.\n\n[écrire](mailto:%E0%A4%A)\n\n- masque\n- [plan](https://cabinet.fr/plan)')).toEqual([
      { type: 'p', children: [text('Bonjour.')] },
      { type: 'p', children: [text('écrire')] },
      { type: 'ul', items: [[text('masque')], [{ type: 'link', href: 'https://cabinet.fr/plan', children: [text('plan')] }]] },
    ]);
  });

  it('is found by the source line it is on, in paragraphs, list items and bold, each line once', () => {
    const src = ['Bonjour.', '', '[écrire](mailto:%E0%A4%A)', 'Cabinet Martin', 'voir [ici](/plan) ou [là](javascript:alert(1))', '', '- **[appeler](tel:call-me)**', '  [ok](tel:0123456789)', '- [sur', 'deux lignes](ftp://x)'].join('\r\n');
    expect(refusedLinkLines(src)).toEqual([3, 5, 7, 9]);
    expect(refusedLinkLines(INSTRUCTIONS_TEMPLATE.fr)).toEqual([]);
    expect(refusedLinkLines('[écrire](mailto:accueil@cabinet.fr) \\[pas un lien](nulle-part)')).toEqual([]);
  });
});

describe('parseMarkdown on hostile input', () => {
  it.each(['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '&lt;script&gt; &#60;b&#62;'])('keeps %j as the literal text it is', (src) => {
    expect(parseMarkdown(src)).toEqual([{ type: 'p', children: [text(src)] }]);
  });

  it('makes only safe links and never throws, whatever the input', () => {
    // A seeded generator over the pieces attacks are made of, so a failure can be replayed.
    const pieces = ['**', '*', '[', ']', '(', ')', '\\', '<', '>', '"', "'", '&#58;', 'javascript:', 'https://x.fr', 'tel:1', 'mailto:a@b.c', 'mailto:%E0%A4', '%', 'data:', ' ', '\n', '\n\n', '- ', '1. ', 'a', 'onerror=', '<script>'];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 2000; run++) {
      const src = Array.from({ length: 1 + Math.floor(random() * 30) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      for (const href of links(parseMarkdown(src))) expect(href, src).toMatch(/^(?:https?:\/\/[^/\s]+|mailto:[^@]+@|tel:\+?\d)/);
    }
  });
});

describe('INSTRUCTIONS_TEMPLATE', () => {
  it('parses in both languages into paragraphs and lists that carry the same rules', () => {
    const fr = parseMarkdown(INSTRUCTIONS_TEMPLATE.fr);
    const en = parseMarkdown(INSTRUCTIONS_TEMPLATE.en);
    expect(fr.map((b) => b.type)).toEqual(en.map((b) => b.type));
    expect(fr.some((b) => b.type === 'ul' && b.items.length >= 6)).toBe(true);
    for (const [lang, expected] of [
      ['fr', ['masque', 'fièvre', 'carte Vitale', 'ordonnances', 'gel', 'téléconsultation', 'seul']],
      ['en', ['mask', 'fever', 'carte Vitale', 'prescriptions', 'gel', 'video consultation', 'alone']],
    ] as const) {
      for (const word of expected) expect(words(lang === 'fr' ? fr : en), `${lang}: ${word}`).toContain(word);
    }
  });
});
