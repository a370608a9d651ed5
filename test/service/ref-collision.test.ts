// A new request that draws a reference already in use draws again instead of failing (31^6 references: at
// 100,000 stored, about one request in 9,000 would otherwise answer 500).
import { expect, it, vi } from 'vitest';
import { postCallback, testApp } from './helpers.js';

const draws = vi.hoisted(() => ['CB-AAAAAA', 'CB-AAAAAA', 'CB-BBBBBB']);
vi.mock('../../service/domain/ref.js', () => ({ newRef: () => draws.shift() ?? 'CB-ZZZZZZ' }));

it('stores the second request under a fresh reference when the first drawn is taken', async () => {
  const t = await testApp();
  const first = await postCallback(t, { phone: '06 11 11 11 11' });
  const second = await postCallback(t, { phone: '06 22 22 22 22' });
  expect([first.status, second.status]).toEqual([201, 201]);
  expect([first.body.ref, second.body.ref]).toEqual(['CB-AAAAAA', 'CB-BBBBBB']);
});
