package alidomain

import (
	"crypto/hmac"
	"crypto/sha256"
)

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
