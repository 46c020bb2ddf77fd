package alidomain

import (
	"crypto/sha1"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHMACSHA1MatchesCryptoHMAC checks the hand-rolled HMAC of signV2
// against crypto/hmac (signParams), for keys shorter than, equal to and
// longer than SHA-1's block (the key is secret+"&").
func TestHMACSHA1MatchesCryptoHMAC(t *testing.T) {
	ps := params{{key: "Action", value: "DescribeRegions"}, {key: "Name", value: "a%20b%2Fc"}}
	for _, n := range []int{0, 1, 30, 62, 63, 64, 65, 130} {
		secret := strings.Repeat("s", n)
		var sum [sha1.Size]byte
		got := base64.StdEncoding.EncodeToString(hmacSHA1StringToSign(&sum, secret, "POST", ps, nil))
		assert.Equal(t, signParams("POST", secret, ps), got, "secret length %d", n)
	}
}
