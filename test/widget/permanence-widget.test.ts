/** `<permanence-widget>` in a real Chromium: loading, language, the form's errors and success, emergencies, fallback, events. */
import '../../widget/index.js';
import { detectLang } from '../../widget/permanence-widget.js';
import {
  activeElement,
  assert,
  created,
  deep,
  equal,
  fakeService,
  field,
  fillValidForm,
  form,
  json,
  mount,
  practiceConfig,
  readyWidget,
  restoreFetch,
  settle,
  type,
  unmountAll,
  waitFor,
  type RecordedCall,
} from './helpers.js';

const submit = (widget: Element) => field<HTMLButtonElement>(widget, 'button[type="submit"]').click();
const alertText = (widget: Element) => field(widget, '[part="alert"]').textContent?.trim() ?? '';
const posts = (calls: RecordedCall[]) => calls.filter((c) => c.method === 'POST');

afterEach(() => {
  unmountAll();
  restoreFetch();
});

describe('<permanence-widget>', () => {
  it('shows the practice name, its hours with today marked and its instructions', async () => {
    fakeService();
    const widget = await readyWidget();
    equal(deep(widget, 'h2')?.textContent, 'Cabinet du Dr Martin');
    const hours = deep(widget, 'permanence-hours-panel')!;
    assert(/ouvert/i.test(deep(hours, '[part="status"]')!.textContent!), `status line: ${deep(hours, '[part="status"]')!.textContent}`);
    equal(hours.shadowRoot!.querySelectorAll('tr[aria-current="date"]').length, 1, 'rows marked as today');
    const instructions = deep(widget, 'permanence-instructions')!;
    equal(deep(instructions, 'strong')?.textContent, 'seul');
    const external = deep<HTMLAnchorElement>(instructions, 'a[href="https://example.org/plan"]')!;
    equal([external.target, external.rel], ['_blank', 'noopener noreferrer']);
    const tel = deep<HTMLAnchorElement>(instructions, 'a[href^="tel:"]')!;
    equal(tel.hasAttribute('target'), false, 'tel: link opens in place');
  });

  it('speaks the language of the nearest lang up the page, unless told otherwise', async () => {
    fakeService();
    const container = mount('<div lang="en-GB"><permanence-widget practice="cabinet-martin"></permanence-widget><permanence-widget practice="cabinet-martin" lang="fr"></permanence-widget></div>');
    const [english, french] = Array.from(container.querySelectorAll('permanence-widget'));
    await waitFor(() => deep(english!, 'permanence-callback-form', 'form') && deep(french!, 'permanence-callback-form', 'form'), 'both forms');
    equal(deep(english!, 'permanence-callback-form', '#form-title')?.textContent, 'Ask to be called back');
    equal(deep(french!, 'permanence-callback-form', '#form-title')?.textContent, 'Être rappelé');
    equal(deep(english!, 'permanence-instructions', 'strong')?.textContent, 'alone');
  });

  it('falls back on the browser languages, then French, when the page says nothing', () => {
    const orphan = document.createElement('permanence-widget');
    const expected = navigator.languages.map((tag) => tag.slice(0, 2).toLowerCase()).find((l) => l === 'fr' || l === 'en') ?? 'fr';
    equal(detectLang(orphan, null), expected);
    equal(detectLang(orphan, 'en-US'), 'en');
  });

  it('shows each error by its field, announces them and focuses the first, before sending anything', async () => {
    const calls = fakeService();
    const widget = await readyWidget();
    type(field(widget, '#phone'), '06 12 34 56 78');
    submit(widget);
    await waitFor(() => field(widget, '#name-error'), 'the name error');
    const name = field(widget, '#name');
    equal(name.getAttribute('aria-invalid'), 'true');
    assert(name.getAttribute('aria-describedby')!.split(' ').includes('name-error'), 'name described by its error');
    equal(field(widget, '#name-error').textContent, 'Ce champ est obligatoire.');
    assert(field(widget, '#reason-error'), 'reason error shown');
    assert(field(widget, '#consent-error'), 'consent error shown');
    equal(field(widget, '#phone').getAttribute('aria-invalid'), null, 'a valid phone is not flagged');
    equal(field(widget, '[part="alert"]').getAttribute('aria-live'), 'assertive');
    equal(alertText(widget), 'Le formulaire contient 3 erreurs\u00a0: Nom et prénom, Motif de l’appel, Consentement.', 'announced');
    equal(activeElement(), name, 'focus on the first invalid field');
    equal(posts(calls).length, 0, 'nothing sent');
    type(name, 'Jeanne');
    await settle(form(widget));
    equal(name.getAttribute('aria-invalid'), null, 'typing clears the error');
  });

  it('announces a single error in the singular, the consent by a short name', async () => {
    fakeService();
    const widget = await readyWidget('practice="cabinet-martin" lang="en"');
    fillValidForm(widget);
    field(widget, 'input[name="consent"]').click();
    submit(widget);
    await waitFor(() => field(widget, '#consent-error'), 'the consent error');
    equal(alertText(widget), 'The form has one error: Consent.');
  });

  it('says "too short" for a too_short field error from the service', async () => {
    fakeService({ callback: () => json(400, { error: { code: 'validation', message: 'Invalid', fields: { name: 'too_short' } } }) });
    const widget = await readyWidget();
    fillValidForm(widget);
    submit(widget);
    const error = await waitFor(() => deep(widget, 'permanence-callback-form', '#name-error'), 'the name error');
    equal(error.textContent, 'Trop court.');
  });

  it('holds a request sent under 3 s after loading until the 3 s are up, showing it as sending', async () => {
    const calls = fakeService();
    const widget = await readyWidget();
    // Autofill and paste: a second, where the service asks for three before it believes a person.
    fillValidForm(widget, 1000);
    submit(widget);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    equal(posts(calls).length, 0, 'nothing sent yet');
    const button = field<HTMLButtonElement>(widget, 'button[type="submit"]');
    equal([button.disabled, button.textContent!.trim()], [true, 'Envoi en cours…']);
    await waitFor(() => posts(calls).length === 1, 'the POST once 3 s are up', 2500);
    equal((posts(calls)[0]!.body as Record<string, unknown>).formToken, 'token-123');
    await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
  });

  it('shows the service’s field errors next to their fields', async () => {
    fakeService({ callback: () => json(400, { error: { code: 'validation', message: 'Invalid', fields: { phone: 'not_mobile' } } }) });
    const widget = await readyWidget();
    const errors: string[] = [];
    widget.addEventListener('permanence-error', (e) => errors.push(e.detail.code));
    fillValidForm(widget);
    submit(widget);
    const error = await waitFor(() => deep(widget, 'permanence-callback-form', '#phone-error'), 'the phone error');
    equal(error.textContent, 'Pour une confirmation par SMS, indiquez un numéro de portable.');
    equal(activeElement(), field(widget, '#phone'));
    equal(errors, ['validation']);
  });

  it('sends the request with its form token and an Idempotency-Key, then shows the reference', async () => {
    const calls = fakeService();
    const widget = await readyWidget();
    const submitted = new Promise<string>((resolve) => document.addEventListener('permanence-submitted', (e) => resolve(e.detail.ref), { once: true }));
    fillValidForm(widget);
    field(widget, 'input[name="urgency"][value="soon"]').click();
    submit(widget);
    equal(await submitted, 'CB-7K3F9Q', 'event seen on the document');
    const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await settle(receipt);
    equal(deep(receipt, '[part="reference"]')?.textContent, 'CB-7K3F9Q');
    assert(deep(receipt, '.receipt')!.textContent!.includes('dès que possible'), 'due now reads "as soon as possible"');
    const [post] = posts(calls);
    assert(post, 'one POST');
    assert(/^[0-9a-f]{32}$/.test(post.headers.get('Idempotency-Key') ?? ''), 'random key sent');
    equal(post.headers.get('Content-Type'), 'application/json');
    const body = post.body as Record<string, unknown>;
    equal([body.name, body.phone, body.urgency, body.confirmBy, body.consent, body.lang, body.formToken, body.website], [
      'Jeanne Dupont',
      '06 12 34 56 78',
      'soon',
      'sms',
      true,
      'fr',
      'token-123',
      '',
    ]);
    equal('email' in body, false, 'an empty email is left out');
  });

  it('says when the call will come outside opening hours, and notes a merged duplicate', async () => {
    const dueAt = new Date(Date.now() + 3 * 86_400_000);
    fakeService({ callback: () => json(201, created({ dueAt: dueAt.toISOString(), duplicate: true, confirmBy: 'none' })) });
    const widget = await readyWidget('practice="cabinet-martin" lang="en"');
    fillValidForm(widget);
    submit(widget);
    const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await settle(receipt);
    const text = deep(receipt, '.receipt')!.textContent!.replace(/\s+/g, ' ');
    const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'Europe/Paris' }).format(dueAt);
    assert(new RegExp(`You will be called back ${weekday} \\d+ \\w+ from \\d\\d:\\d\\d\\.`).test(text), text);
    assert(text.includes('already waiting'), 'duplicate noted');
  });

  it('keeps the form after a network failure and retries with the same Idempotency-Key', async () => {
    let fail = true;
    const calls = fakeService({ callback: () => (fail ? 'network' : json(201, created())) });
    const widget = await readyWidget();
    fillValidForm(widget);
    submit(widget);
    await waitFor(() => alertText(widget).includes('Impossible de joindre le service'), 'the network message');
    equal(field(widget, '#name').value, 'Jeanne Dupont', 'name kept');
    fail = false;
    submit(widget);
    await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    const [first, retry] = posts(calls);
    equal(retry!.headers.get('Idempotency-Key'), first!.headers.get('Idempotency-Key'), 'same key on retry');
  });

  it('takes a new Idempotency-Key when the patient edits the form after a failure', async () => {
    const calls = fakeService({ callback: () => 'network' });
    const widget = await readyWidget();
    fillValidForm(widget);
    submit(widget);
    await waitFor(() => alertText(widget).includes('Impossible'), 'the network message');
    type(field(widget, '#name'), 'Jeanne Dupont-Martin');
    submit(widget);
    await waitFor(() => posts(calls).length === 2, 'the second POST');
    const [first, second] = posts(calls);
    assert(first!.headers.get('Idempotency-Key') !== second!.headers.get('Idempotency-Key'), 'a changed body gets a new key');
  });

  it('tells the patient how long to wait after a 429', async () => {
    fakeService({ callback: () => json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'Retry-After': '120' }) });
    const widget = await readyWidget();
    fillValidForm(widget);
    submit(widget);
    await waitFor(() => alertText(widget) === 'Trop de demandes en peu de temps. Réessayez dans 2 min.', 'the wait');
  });

  it('shows the emergency numbers as the patient types a red-flag reason, before sending', async () => {
    const calls = fakeService();
    const widget = await readyWidget();
    assert(!deep(widget, 'permanence-callback-form', 'permanence-emergency-panel'), 'no panel at first');
    type(field<HTMLTextAreaElement>(widget, '#reason'), 'douleur dans la poitrine depuis une heure');
    const panel = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-emergency-panel'), 'the emergency panel');
    await settle(panel);
    const links = Array.from(panel.shadowRoot!.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    equal(links, ['tel:15', 'tel:112', 'tel:3114', 'sms:114']);
    equal(posts(calls).length, 0);
  });

  it('picks "urgent" when the reason reads as an emergency, unless the patient chose how soon', async () => {
    fakeService();
    const widget = await readyWidget();
    const checked = () => field(widget, 'input[name="urgency"]:checked').getAttribute('value');
    type(field<HTMLTextAreaElement>(widget, '#reason'), 'douleur dans la poitrine');
    await settle(form(widget));
    equal(checked(), 'urgent', 'triage picked it');
    field(widget, 'input[name="urgency"][value="soon"]').click();
    type(field<HTMLTextAreaElement>(widget, '#reason'), 'douleur dans la poitrine depuis une heure');
    await settle(form(widget));
    equal(checked(), 'soon', 'the patient’s choice kept');
  });

  it('after a red-flag request, shows the emergency numbers first, apart from the receipt, and focuses them', async () => {
    fakeService({ callback: () => json(201, created({ redFlag: true })) });
    const widget = await readyWidget();
    fillValidForm(widget);
    submit(widget);
    const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await waitFor(() => deep(receipt, 'permanence-emergency-panel', 'a[href="tel:15"]'), 'the panel after submit');
    const panel = deep(receipt, 'permanence-emergency-panel')!;
    await waitFor(() => activeElement() === deep(panel, 'h3'), 'focus on the emergency heading');
    const gap = deep(receipt, '.receipt')!.getBoundingClientRect().top - panel.getBoundingClientRect().bottom;
    assert(gap >= 12, `the panel stands apart from the receipt (${gap}px)`);
  });

  it('brings an empty form back with focus on its title after "make another request"', async () => {
    fakeService();
    const widget = await readyWidget();
    fillValidForm(widget);
    submit(widget);
    const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
    await settle(receipt);
    await waitFor(() => activeElement() === deep(receipt, 'h3'), 'focus on the receipt');
    deep<HTMLButtonElement>(receipt, 'button')!.click();
    await waitFor(() => activeElement() === deep(widget, 'permanence-callback-form', '#form-title'), 'focus on the form title');
    equal(field(widget, '#name').value, '', 'the form is empty');
  });

  for (const [lang, confirmBy, expected] of [
    ['fr', 'none', 'Aucune confirmation n’a pu vous être envoyée\u00a0: notez votre numéro de demande.'],
    ['en', 'none', 'No confirmation could be sent to you: please note your request number.'],
    ['fr', 'email', 'Confirmation envoyée par e-mail plutôt que par SMS.'],
  ] as const) {
    it(`says plainly when an SMS asked for could not be sent (${lang}, ${confirmBy} instead)`, async () => {
      fakeService({ callback: () => json(201, created({ confirmBy })) });
      const widget = await readyWidget(`practice="cabinet-martin" lang="${lang}"`);
      fillValidForm(widget);
      submit(widget);
      const receipt = await waitFor(() => deep(widget, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt');
      await settle(receipt);
      const text = deep(receipt, '.receipt')!.textContent!;
      assert(text.includes(expected), text);
      assert(!/envoyée par SMS|by text message\./.test(text), 'no SMS promised');
    });
  }

  it('keeps each time range and each day name on one line on a narrow phone, and spaces French colons', async () => {
    const day: [string, string][] = [['08:30', '12:30'], ['14:00', '19:00']];
    const weekly = { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day };
    fakeService({ config: (slug) => json(200, practiceConfig(slug, { hours: { timezone: 'Europe/Paris', weekly } })) });
    const widget = await readyWidget('practice="cabinet-martin" lang="fr" style="width: 180px"');
    const hours = deep(widget, 'permanence-hours-panel')!;
    const ranges = Array.from(hours.shadowRoot!.querySelectorAll('td span'));
    equal(ranges.length, 14, 'two ranges a day');
    for (const range of ranges) equal(range.getClientRects().length, 1, `"${range.textContent}" on one line`);
    const td = ranges[0]!.parentElement!;
    assert(td.getBoundingClientRect().height > ranges[0]!.getBoundingClientRect().height * 1.5, 'ranges wrap between one another');
    const today = deep(hours, 'tr[aria-current] th')!;
    equal(getComputedStyle(today).whiteSpace, 'nowrap', 'the day and its dot stay together');
    assert(deep(widget, '.header a')!.textContent!.includes('cabinet\u00a0: 01'), deep(widget, '.header a')!.textContent!);
  });

  it('keeps its fallback content and says the form is unavailable when the service cannot be reached', async () => {
    fakeService({ config: () => 'network' });
    const errors: string[] = [];
    document.addEventListener('permanence-error', (e) => errors.push(e.detail.code), { once: true });
    const container = mount('<permanence-widget practice="cabinet-martin" lang="fr"><a href="tel:+33142868200">01 42 86 82 00</a></permanence-widget>');
    const widget = container.querySelector('permanence-widget')!;
    const notice = await waitFor(() => deep(widget, '[part="notice"]'), 'the notice');
    assert(notice.textContent!.includes('indisponible'), notice.textContent!);
    const slot = deep<HTMLSlotElement>(widget, 'slot')!;
    equal(slot.assignedElements().map((e) => e.getAttribute('href')), ['tel:+33142868200']);
    assert(widget.querySelector('a')!.getBoundingClientRect().height > 0, 'the fallback link is visible');
    equal(errors, ['unreachable']);
  });

  it('fires permanence-ready, bubbling and composed, once loaded', async () => {
    fakeService();
    const ready = new Promise<CustomEvent>((resolve) => document.addEventListener('permanence-ready', (e) => resolve(e), { once: true }));
    mount('<permanence-widget practice="cabinet-martin"></permanence-widget>');
    const event = await ready;
    equal([event.bubbles, event.composed, event.detail.practice], [true, true, 'cabinet-martin']);
  });

  it('runs two widgets for two practices side by side without mixing them', async () => {
    const calls = fakeService();
    const container = mount('<permanence-widget practice="cabinet-martin" lang="fr"></permanence-widget><permanence-widget practice="kine-durand" lang="fr"></permanence-widget>');
    const [martin, durand] = Array.from(container.querySelectorAll('permanence-widget'));
    await waitFor(() => deep(martin!, 'permanence-callback-form', 'form') && deep(durand!, 'permanence-callback-form', 'form'), 'both forms');
    equal([deep(martin!, 'h2')?.textContent, deep(durand!, 'h2')?.textContent], ['Cabinet du Dr Martin', 'Cabinet kine-durand']);
    fillValidForm(durand!);
    submit(durand!);
    await waitFor(() => deep(durand!, 'permanence-callback-form', 'permanence-callback-receipt'), 'the receipt of the second');
    assert(deep(martin!, 'permanence-callback-form', 'form'), 'the first still shows its form');
    equal(field(martin!, '#name').value, '', 'nothing typed leaked into the first');
    assert(posts(calls)[0]!.url.endsWith('/v1/practices/kine-durand/callbacks'), posts(calls)[0]!.url);
  });

  it('sends requests to the api attribute when given', async () => {
    const calls = fakeService();
    await readyWidget('practice="cabinet-martin" api="https://permanence.example/"');
    equal(calls[0]!.url, 'https://permanence.example/v1/practices/cabinet-martin/widget');
  });
});
