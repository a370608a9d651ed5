/** The one error a message channel (SMS, email) throws, telling the outbox whether another try can succeed. */

/**
 * A message that could not be handed to its provider.
 * `permanent` means retrying the same message will not help (invalid number, refused credentials,
 * recipient who answered STOP); otherwise the failure is transient (timeout, network, 429, 5xx)
 * and the outbox should try again later. `providerCode` is the provider's own error code, for the
 * logs and for support tickets; the message never holds the body or the full recipient.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly providerCode?: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
