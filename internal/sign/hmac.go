package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"

	"github.com/alidomain/alidomain/internal/wire"
)

// HMAC (RFC 2104) of what the signers sign, without hmac.New's five
// allocations for the small messages of a typical attempt.

// hmacSHA256 returns into sum the HMAC-SHA256 (RFC 2104) of msg keyed with
// secret. A message of at most 128 bytes (V3's string to sign is 86) is
// hashed from a stack buffer: no heap allocation instead of hmac.New's five
// (BenchmarkInProcess/impl=alidomain-v3/N=1).
func hmacSHA256(sum *[sha256.Size]byte, secret, msg string) []byte {
	const small = 128
	if len(msg) > small {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(msg))
		return mac.Sum(sum[:0])
	}
	var key [sha256.BlockSize]byte
	if len(secret) > sha256.BlockSize {
		k := sha256.Sum256([]byte(secret))
		copy(key[:], k[:])
	} else {
		copy(key[:], secret)
	}
	var buf [sha256.BlockSize + small]byte
	for i, k := range key {
		buf[i] = k ^ 0x36
	}
	inner := sha256.Sum256(append(buf[:sha256.BlockSize], msg...))
	for i, k := range key {
		buf[i] = k ^ 0x5c
	}
	*sum = sha256.Sum256(append(buf[:sha256.BlockSize], inner[:]...))
	return sum[:]
}

// hmacSHA1StringToSign returns into sum the HMAC-SHA1 (RFC 2104), keyed
// with secret+"&", of the string to sign of a and b. One SHA-1 state instead
// of hmac.New's five allocations (BenchmarkInProcess/impl=alidomain/N=1).
func hmacSHA1StringToSign(sum *[sha1.Size]byte, secret, method string, a, b wire.Params) []byte {
	var buf [64 + 1]byte
	key := append(append(buf[:0], secret...), '&')
	if len(key) > sha1.BlockSize {
		*sum = sha1.Sum(key)
		key = sum[:]
	}
	var ipad, opad [sha1.BlockSize]byte
	copy(ipad[:], key)
	copy(opad[:], key)
	for i := range ipad {
		ipad[i] ^= 0x36
		opad[i] ^= 0x5c
	}
	// A small request is hashed from a stack buffer with sha1.Sum: no heap
	// allocation (BenchmarkInProcess/impl=alidomain/N=1). Each byte of the
	// canonical query is at most 3 in the string to sign.
	const small = 2048
	if len(stringToSignPrefix(method))+3*canonicalLen(a, b) <= small {
		var stack [sha1.BlockSize + small]byte
		inner := sha1.Sum(appendStringToSign(append(stack[:0], ipad[:]...), method, a, b))
		*sum = sha1.Sum(append(append(stack[:0], opad[:]...), inner[:]...))
		return sum[:]
	}
	h := sha1.New()
	h.Write(ipad[:])
	writeStringToSign(h, method, a, b)
	inner := h.Sum(sum[:0])
	h.Reset()
	h.Write(opad[:])
	h.Write(inner)
	return h.Sum(sum[:0])
}
