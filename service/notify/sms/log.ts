/** The sender of `SMS_URL` unset or `log:`: sends nothing, logs that an SMS would have gone out. */
import { smsSegments } from '../../../shared/gsm7.js';
import type { Logger } from '../../log.js';
import { maskPhone, type SmsSender } from './sender.js';

export function logSender(log: Logger): SmsSender {
  return {
    name: 'log',
    async send(to, body) {
      // The body may name the patient or the practice they called: only its size is logged.
      const { encoding, segments } = smsSegments(body);
      log.info('sms_logged', { to: maskPhone(to), length: [...body].length, encoding, segments });
      return {};
    },
  };
}
