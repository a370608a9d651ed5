/** Links sent to patients: the cancel link carries a short signature valid for that reference only. */
import { safeEqual, type Sealer } from '../crypto.js';

/** 16 base64url characters = 96 bits: short enough for one SMS, far too many to guess. */
export const cancelToken = (sealer: Sealer, ref: string) => sealer.sign('cancel', ref).slice(0, 16);

/** A link signed with an earlier key (before a rotation) still opens its request. */
export const verifyCancelToken = (sealer: Sealer, ref: string, token: string) => sealer.signatures('cancel', ref).some((signature) => safeEqual(signature.slice(0, 16), token));

export const cancelUrl = (publicUrl: string, sealer: Sealer, ref: string) => `${publicUrl}/c/${ref}?t=${cancelToken(sealer, ref)}`;
