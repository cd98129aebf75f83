/**
 * SFrame (RFC 9605) over Web Crypto: the codec's stable public API. Runs unchanged in a
 * page, a worker and Node 20.
 *
 *   const receiver = new SFrameContext(AES_128_GCM_SHA256_128);
 *   await receiver.setKey(kid, baseKey);
 *   const frame = await receiver.decrypt(metadata, sframe); // or throws SFrameError
 */
export { SFrameContext, type SFrameContextOptions } from './sframeContext';
export { SFrameSender } from './sframeSender';
export { SFrameError, type SFrameErrorCode } from './SFrameError';
export {
  AES_128_CTR_HMAC_SHA256_80,
  AES_128_CTR_HMAC_SHA256_64,
  AES_128_CTR_HMAC_SHA256_32,
  AES_128_GCM_SHA256_128,
  AES_256_GCM_SHA512_128,
  CIPHER_SUITES,
  type CipherSuite,
} from './cipherSuites';
export { encodeHeader, decodeHeader, type SFrameHeader } from './sframeHeader';
