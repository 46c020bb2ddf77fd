package alidomain

import (
	"time"

	"github.com/alidomain/alidomain/internal/retry"
)

// RetryPolicy says how often and how patiently a call is attempted. Whether
// a failure may be retried at all is decided per operation: reads are
// retried on transport errors, 5xx and throttling; paid orders only when the
// request provably did not take effect (see OutcomeUnknownError).
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included; 1
	// disables retries. Zero means the default.
	MaxAttempts int
	// BaseDelay is the backoff ceiling after the first attempt; it doubles
	// after each attempt. Zero means the default.
	BaseDelay time.Duration
	// MaxDelay caps the backoff ceiling. Zero means the default.
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns 3 attempts with full-jitter exponential backoff
// from 250ms up to 5s.
func DefaultRetryPolicy() RetryPolicy { return RetryPolicy(retry.DefaultPolicy()) }
