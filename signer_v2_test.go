package alidomain

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHMACSHA1MatchesCryptoHMAC checks the hand-rolled HMAC of signV2
// against crypto/hmac (signParams), for keys shorter than, equal to and
// longer than SHA-1's block (the key is secret+"&"), on the stack buffer
// path (small) and the streaming one (large).
func TestHMACSHA1MatchesCryptoHMAC(t *testing.T) {
	small := params{{key: "Action", value: "DescribeRegions"}, {key: "Name", value: "a%20b%2Fc"}}
	var large params
	for i := 0; i < 500; i++ {
		large = append(large, param{key: fmt.Sprintf("K.%04d", i), value: "v%2F" + strings.Repeat("x", i%40)})
	}
	for _, ps := range []params{small, large} {
		for _, n := range []int{0, 1, 30, 62, 63, 64, 65, 130} {
			secret := strings.Repeat("s", n)
			var sum [sha1.Size]byte
			got := base64.StdEncoding.EncodeToString(hmacSHA1StringToSign(&sum, secret, "POST", ps, nil))
			assert.Equal(t, signParams("POST", secret, ps), got, "secret length %d, %d params", n, len(ps))
		}
	}
}
