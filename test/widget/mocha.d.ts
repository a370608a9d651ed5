/** The mocha globals @web/test-runner provides in the page; the project has no @types/mocha. */
declare global {
  function describe(name: string, body: () => void): void;
  function it(name: string, body: () => void | Promise<void>): void;
  function beforeEach(body: () => void | Promise<void>): void;
  function afterEach(body: () => void | Promise<void>): void;
  function before(body: () => void | Promise<void>): void;
}
export {};
