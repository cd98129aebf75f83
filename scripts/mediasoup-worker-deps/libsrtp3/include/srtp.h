// mediasoup's worker is written against libsrtp 3; Debian ships libsrtp 2.5. The two differ, for
// what the worker uses, only in these calls, which are bridged here as C++ overloads:
//   - protect/unprotect take separate in and out buffers and size_t lengths (v2: one buffer,
//     worked in place, and an int* length);
//   - srtp_stream_remove (v2: srtp_remove_stream);
//   - two error codes v2 does not have.
// mediasoup's policies carry no MKI, so the v2 calls without MKI are the right ones.
#ifndef PARLEY_SRTP3_BRIDGE_H
#define PARLEY_SRTP3_BRIDGE_H

#include <srtp2/srtp.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>

// The values libsrtp 3 gives them, right after v2's last code (srtp_err_status_pkt_idx_adv = 27).
constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

namespace parley_srtp3_bridge
{
	// v2 processes in place: the input is moved into the output buffer first, which must hold
	// what v2 may append after it (`trailer` bytes).
	inline srtp_err_status_t InPlace(
	  srtp_err_status_t (*v2)(srtp_t, void*, int*),
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen,
	  size_t trailer)
	{
		if (inLen > static_cast<size_t>(INT_MAX) - trailer)
			return srtp_err_status_bad_param;
		if (*outLen < inLen + trailer)
			return srtp_err_status_buffer_small;
		if (out != in)
			std::memmove(out, in, inLen);

		int len = static_cast<int>(inLen);
		const srtp_err_status_t err = v2(ctx, out, &len);

		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);

		return err;
	}
} // namespace parley_srtp3_bridge

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
		return srtp_err_status_bad_mki;

	return parley_srtp3_bridge::InPlace(
	  ::srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return parley_srtp3_bridge::InPlace(::srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t mkiIndex)
{
	if (mkiIndex != 0)
		return srtp_err_status_bad_mki;

	// v2 appends the SRTCP index (4 bytes) besides the tag.
	return parley_srtp3_bridge::InPlace(
	  ::srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return parley_srtp3_bridge::InPlace(
	  ::srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	return srtp_remove_stream(session, ssrc);
}

#endif
