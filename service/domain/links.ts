/** Links sent to patients: the cancel link carries a short signature valid for that reference only. */
import { safeEqual, type Sealer } from '../crypto.js';

/** 16 base64url characters = 96 bits: short enough for one SMS, far too many to guess. */
export const cancelToken = (sealer: Sealer, ref: string) => sealer.sign('cancel', ref).slice(0, 16);

export const verifyCancelToken = (sealer: Sealer, ref: string, token: string) => safeEqual(cancelToken(sealer, ref), token);

export const cancelUrl = (publicUrl: string, sealer: Sealer, ref: string) => `${publicUrl}/c/${ref}?t=${cancelToken(sealer, ref)}`;
