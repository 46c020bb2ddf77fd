package alidomain

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/pace"
)

func TestRateLimitValidate(t *testing.T) {
	for _, bad := range []RateLimit{
		{PerSecond: -1}, {PerSecond: math.NaN()}, {PerSecond: math.Inf(1)}, {PerSecond: math.Inf(-1)}, {PerSecond: 1, Burst: -1},
		{PerSecond: 1e-11}, {PerSecond: 5e-324}, {PerSecond: math.SmallestNonzeroFloat64}, {PerSecond: 1.0 / 86401},
		{PerSecond: 1, Burst: pace.MaxBurst + 1}, {PerSecond: 1, Burst: math.MaxInt},
	} {
		err := bad.validate()
		var ve *ValidationError
		if assert.ErrorAs(t, err, &ve, "%+v", bad) {
			assert.Contains(t, ve.Field, "Options.RateLimit.")
		}
	}
	for _, good := range []RateLimit{{}, {PerSecond: 0.5}, {PerSecond: 20, Burst: 20}, {PerSecond: 1.0 / 86400}, {PerSecond: 1e9, Burst: pace.MaxBurst}} {
		assert.NoError(t, good.validate(), "%+v", good)
	}
}

// A rate that overflowed into no pacing (1/rate seconds beyond what a
// Duration holds) is refused by New and by a per-call option, with the
// field named.
func TestRateLimitBelowFloorRefused(t *testing.T) {
	for _, rate := range []float64{1e-11, 5e-324, math.NaN(), math.Inf(1)} {
		_, err := New(Options{Credentials: StaticCredentials("a", "b"), RateLimit: RateLimit{PerSecond: rate}})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "rate %v", rate)
		assert.Equal(t, "Options.RateLimit.PerSecond", ve.Field)
		if rate > 0 && !math.IsInf(rate, 0) {
			assert.Contains(t, err.Error(), "one call a day")
		}
	}
	c, _ := fixedClient(t, Options{})
	_, _, err := c.callOptions([]func(*Options){func(o *Options) { o.RateLimit = RateLimit{PerSecond: 1e-11} }})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
}
