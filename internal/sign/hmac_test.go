package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/alidomain/alidomain/internal/wire"
)

// TestHMACSHA1MatchesCryptoHMAC checks the hand-rolled HMAC of signV2
// against crypto/hmac (signParams), for keys shorter than, equal to and
// longer than SHA-1's block (the key is secret+"&"), on the stack buffer
// path (small) and the streaming one (large).
func TestHMACSHA1MatchesCryptoHMAC(t *testing.T) {
	small := wire.Params{{Key: "Action", Value: "DescribeRegions"}, {Key: "Name", Value: "a%20b%2Fc"}}
	var large wire.Params
	for i := 0; i < 500; i++ {
		large = append(large, wire.Param{Key: fmt.Sprintf("K.%04d", i), Value: "v%2F" + strings.Repeat("x", i%40)})
	}
	for _, ps := range []wire.Params{small, large} {
		for _, n := range []int{0, 1, 30, 62, 63, 64, 65, 130} {
			secret := strings.Repeat("s", n)
			var sum [sha1.Size]byte
			got := base64.StdEncoding.EncodeToString(hmacSHA1StringToSign(&sum, secret, "POST", ps, nil))
			assert.Equal(t, signParams("POST", secret, ps), got, "secret length %d, %d params", n, len(ps))
		}
	}
}

// TestHMACSHA256MatchesCryptoHMAC checks hmacSHA256 (V3 signing) against
// crypto/hmac for keys around SHA-256's block size and messages on both
// sides of its stack buffer.
func TestHMACSHA256MatchesCryptoHMAC(t *testing.T) {
	for _, m := range []int{0, 86, 128, 129, 300} {
		msg := strings.Repeat("m", m)
		for _, n := range []int{0, 1, 30, 63, 64, 65, 130} {
			secret := strings.Repeat("s", n)
			mac := hmac.New(sha256.New, []byte(secret))
			mac.Write([]byte(msg))
			var sum [sha256.Size]byte
			assert.Equal(t, mac.Sum(nil), hmacSHA256(&sum, secret, msg), "secret length %d, message length %d", n, m)
		}
	}
}
