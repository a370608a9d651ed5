// The messages the service sends, built in one place: HTML escaping and links, one-segment SMS, the bilingual practitioner notice.
import { describe, expect, it } from 'vitest';
import { confirmationEmail, emailOf, fitOneSegment, practitionerNotice, triedEmail, triedSms } from '../../service/notify/templates.js';
import { smsSegments, toGsm7 } from '../../shared/gsm7.js';

const LONG_NAME = 'Cabinet médical pluridisciplinaire des Hauts-de-Seine et du Val-d’Oise';

describe('emailOf', () => {
  it('escapes every paragraph and turns each occurrence of the link into an anchor, in HTML only', () => {
    const url = 'https://permanence.example/c/AB12?t=x&y=1';
    const { text, html } = emailOf(['Bonjour <b>Léa</b> & co,', `Lien : ${url}`, `Encore : ${url}`], 'fr', url);
    expect(text).toBe(`Bonjour <b>Léa</b> & co,\n\nLien : ${url}\n\nEncore : ${url}\n`);
    expect(html).toContain('<p>Bonjour &lt;b&gt;Léa&lt;/b&gt; &amp; co,</p>');
    const anchor = '<a href="https://permanence.example/c/AB12?t=x&amp;y=1">https://permanence.example/c/AB12?t=x&amp;y=1</a>';
    expect(html.split(anchor)).toHaveLength(3);
    expect(html).toMatch(/^<!doctype html><html lang="fr">/);
  });

  it('keeps a link holding replacement patterns such as $& intact', () => {
    const url = "https://x.example/a$&b$'c";
    const { html } = emailOf([`Voir ${url}`], 'en', url);
    expect(html).toContain(`<p>Voir <a href="https://x.example/a$&amp;b$&#39;c">https://x.example/a$&amp;b$&#39;c</a></p>`);
  });

  it('wraps a word too long for the screen inside the body’s container, which webmails keep', () => {
    const { html } = emailOf([`Cabinet${'M'.repeat(600)}`], 'fr');
    expect(html).toMatch(/<body>\n<div style="[^"]*overflow-wrap:anywhere[^"]*">\n<p>CabinetM+<\/p>\n<\/div>\n<\/body>/);
    expect(html).toMatch(/<div style="[^"]*word-break:break-word/);
  });

  it('keeps the phone numbers it is given whole in the HTML, with non-breaking spaces, and as typed in the text', () => {
    const url = 'https://permanence.example/c/AB12?t=x';
    const { text, html } = emailOf(['Appelez le 01 23 45 67 89 ou le +44 20 7946 0958.', `Lien : ${url}`], 'fr', url, ['01 23 45 67 89', '+44 20 7946 0958', '+33142000000']);
    expect(html).toContain('<p>Appelez le 01&nbsp;23&nbsp;45&nbsp;67&nbsp;89 ou le +44&nbsp;20&nbsp;7946&nbsp;0958.</p>');
    expect(html).toContain(`<a href="${url}">${url}</a>`);
    expect(text).toContain('Appelez le 01 23 45 67 89 ou le +44 20 7946 0958.');
  });

  it('marks a paragraph written in the other language with its own lang attribute', () => {
    const { html } = emailOf(['Bonjour', { lang: 'en', text: 'Hello' }, { lang: 'fr', text: 'Au revoir' }], 'fr');
    expect(html).toContain('<p>Bonjour</p>\n<p lang="en">Hello</p>\n<p>Au revoir</p>');
  });
});

describe('fitOneSegment', () => {
  const build = (practice: string) => `${practice} : nous avons essayé de vous rappeler (demande AB12CD) sans vous joindre. Appelez le 01 23 45 67 89.`;

  it('leaves a text that already fits alone, folded to GSM-7', () => {
    const body = fitOneSegment(build, 'Cabinet d’Orsay');
    expect(body).toBe(build("Cabinet d'Orsay"));
    expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('shortens a long practice name, ending it with a full stop, until the text fits one segment', () => {
    expect(smsSegments(build(LONG_NAME)).segments).toBeGreaterThan(1);
    const body = fitOneSegment(build, LONG_NAME);
    expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const shortened = body.slice(0, body.indexOf(' : '));
    expect(shortened).toMatch(/^Cabinet médical pluridisciplinaire.*\.$/);
    // The longest name that fits: the next longer cut would need a second segment.
    const longerCuts = Array.from(LONG_NAME, (_, k) => LONG_NAME.slice(0, k).trimEnd() + '.').filter((cut) => cut.length > shortened.length);
    expect(smsSegments(toGsm7(build(longerCuts[0]!))).segments).toBe(2);
  });

  it('keeps at least eight characters of the name, even if the text then needs two segments', () => {
    const tooLong = (practice: string) => `${practice} ${'x'.repeat(170)}`;
    expect(fitOneSegment(tooLong, 'Cabinet du Dr Martin')).toBe(`Cabinet. ${'x'.repeat(170)}`);
  });
});

describe('practitionerNotice', () => {
  const notice = practitionerNotice({ name: 'Cabinet du Dr Martin' }, 'https://permanence.example');

  it('is one email in French then English, with a bilingual subject', () => {
    expect(notice.subject).toBe('Nouveau message / New message – Cabinet du Dr Martin');
    const fr = notice.text.indexOf('Le secrétariat a pris un message pour vous (Cabinet du Dr Martin)');
    const en = notice.text.indexOf('The answering service took a message for Cabinet du Dr Martin');
    expect(fr).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(fr);
    expect(notice.html).toMatch(/<html lang="fr">/);
    expect(notice.html).toContain('<p lang="en">The answering service took a message');
  });

  it('links to the console’s messages in both languages', () => {
    const anchor = '<a href="https://permanence.example/console/#/messages">https://permanence.example/console/#/messages</a>';
    expect(notice.html.split(anchor)).toHaveLength(3);
  });
});

describe('the patient’s "we tried to reach you"', () => {
  const facts = { lang: 'en' as const, ref: 'AB12CD', name: 'Léa <Moreau>', practice: { name: LONG_NAME, phone: '01 23 45 67 89' } };

  it('fits one SMS segment with the reference and the practice’s phone', () => {
    const { body } = triedSms(facts);
    expect(smsSegments(body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(body).toContain('AB12CD');
    expect(body).toContain('01 23 45 67 89');
    expect(body).toContain('Cabinet médical');
  });

  it('greets the patient by name in the email, escaped in HTML', () => {
    const email = triedEmail(facts);
    expect(email.subject).toBe(`We tried to call you back – ${LONG_NAME}`);
    expect(email.text).toContain('Hello Léa <Moreau>,');
    expect(email.html).toContain('<p>Hello Léa &lt;Moreau&gt;,</p>');
    expect(email.html).toContain('<html lang="en">');
  });

  it('keeps the practice’s phone whole in the HTML email, and lets its long name wrap', () => {
    const { html } = triedEmail(facts);
    expect(html).toContain('01&nbsp;23&nbsp;45&nbsp;67&nbsp;89');
    expect(html).toContain('overflow-wrap:anywhere');
  });
});

describe('the practice’s name in French messages', () => {
  // French puts an article before "cabinet" or "Dr" ("auprès du cabinet", "pour le Dr"), never before a name given as typed.
  it.each(['Cabinet du Dr Martin', 'Dr Anne Dupont', 'Centre médical Aubrac'])('never follows a preposition that needs an article: %s', (name) => {
    const practice = { name, phone: '01 23 45 67 89', timezone: 'Europe/Paris' };
    const now = new Date('2026-04-07T08:00:00Z');
    const texts = [
      confirmationEmail({ lang: 'fr', ref: 'AB12CD', name: 'Léa', phone: '06 12 34 56 78', practice, dueAt: now, now, cancelUrl: 'https://permanence.example/c/AB12CD?t=x' }),
      triedEmail({ lang: 'fr', ref: 'AB12CD', name: 'Léa', practice }),
      practitionerNotice(practice, 'https://permanence.example'),
    ].map((email) => email.text);
    for (const text of texts) {
      expect(text).toContain(name);
      expect(text).not.toMatch(new RegExp(`(?:\\b(?:de|pour|appeler)|auprès de) ${name}`));
    }
  });
});
