package retry

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestThrottleHint(t *testing.T) {
	tests := []struct {
		name      string
		api, user string // "" = header absent
		want      time.Duration
		ok        bool
	}{
		{"official sample", "", "Limit:1,Remain:0,TimeLeft:2000,Reset:1234", 2 * time.Second, true},
		{"the longer of both", "Remaining:10,TimeLeft:5", "Remaining:20,TimeLeft:3", 5 * time.Millisecond, true},
		{"user longer", "TimeLeft:100", "TimeLeft:1500", 1500 * time.Millisecond, true},
		{"none", "", "", 0, false},
		{"no TimeLeft", "Limit:1,Remain:0", "Reset:99", 0, false},
		{"not a number", "TimeLeft:abc", "", 0, false},
		{"negative", "TimeLeft:-5", "", 0, false},
		{"plus sign", "TimeLeft:+5", "", 0, false},
		{"fraction", "TimeLeft:1.5", "", 0, false},
		{"empty value", "TimeLeft:", "", 0, false},
		{"one bad, one good", "TimeLeft:x", "TimeLeft:100", 100 * time.Millisecond, true},
		{"spaces", " Limit : 1 , TimeLeft : 250 ", "", 250 * time.Millisecond, true},
		{"case", "timeleft:7", "", 7 * time.Millisecond, true},
		{"zero", "TimeLeft:0", "", 0, true},
		{"capped", "TimeLeft:3600001", "", time.Hour, true},
		{"overflow", "TimeLeft:99999999999999999999999", "", time.Hour, true},
		{"first TimeLeft wins", "TimeLeft:10,TimeLeft:20", "", 10 * time.Millisecond, true},
		{"pair without colon", "garbage,TimeLeft:30", "", 30 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.api != "" {
				h.Set("x-ratelimit-user-api", tt.api)
			}
			if tt.user != "" {
				h.Set("X-RateLimit-User", tt.user)
			}
			d, ok := ThrottleHint(h)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, d)
		})
	}
}

// FuzzParseTimeLeft: any header value parses without panic to a duration
// in [0, MaxThrottleHint], only when it names TimeLeft; a well-formed value
// parses to what it says.
func FuzzParseTimeLeft(f *testing.F) {
	f.Add("Limit:1,Remain:0,TimeLeft:2000,Reset:1234", int64(2000))
	f.Add("TimeLeft:-1", int64(-1))
	f.Add(",,::,TimeLeft::", int64(0))
	f.Add("TimeLeft:18446744073709551616", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, v string, ms int64) {
		d, ok := parseTimeLeft(v)
		if d < 0 || d > MaxThrottleHint {
			t.Fatalf("parseTimeLeft(%q) = %v out of range", v, d)
		}
		if ok && !strings.Contains(strings.ToLower(v), "timeleft") {
			t.Fatalf("parseTimeLeft(%q) = %v without a TimeLeft", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("parseTimeLeft(%q) = %v, not ok", v, d)
		}
		if ms < 0 {
			return
		}
		well := "Limit:1,Remain:0,TimeLeft:" + strconv.FormatInt(ms, 10) + ",Reset:1"
		d, ok = parseTimeLeft(well)
		want := MaxThrottleHint
		if ms <= int64(MaxThrottleHint/time.Millisecond) {
			want = time.Duration(ms) * time.Millisecond
		}
		if !ok || d != want {
			t.Fatalf("parseTimeLeft(%q) = %v, %v; want %v", well, d, ok, want)
		}
	})
}

func TestThrottleDelay(t *testing.T) {
	p := Policy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: 2 * time.Second}
	seen := map[time.Duration]bool{}
	for range 200 {
		// No hint: the policy's full-jitter backoff.
		d, retry := ThrottleDelay(p, 3, 0, false)
		assert.True(t, retry)
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, 400*time.Millisecond)

		// A hint: at least the hint, at most hint+BaseDelay.
		d, retry = ThrottleDelay(p, 1, 700*time.Millisecond, true)
		assert.True(t, retry)
		assert.GreaterOrEqual(t, d, 700*time.Millisecond)
		assert.LessOrEqual(t, d, 800*time.Millisecond)
		seen[d] = true

		// Near MaxDelay the jitter shrinks so that MaxDelay holds.
		d, retry = ThrottleDelay(p, 1, 1950*time.Millisecond, true)
		assert.True(t, retry)
		assert.GreaterOrEqual(t, d, 1950*time.Millisecond)
		assert.LessOrEqual(t, d, 2*time.Second)
	}
	assert.Greater(t, len(seen), 100, "callers told the same time are spread")
	d, retry := ThrottleDelay(p, 1, 2*time.Second, true)
	assert.True(t, retry)
	assert.Equal(t, 2*time.Second, d)
	d, retry = ThrottleDelay(p, 1, 0, true)
	assert.True(t, retry)
	assert.LessOrEqual(t, d, 100*time.Millisecond)

	// Beyond MaxDelay: do not retry, the service said it is too early.
	_, retry = ThrottleDelay(p, 1, 2*time.Second+time.Millisecond, true)
	assert.False(t, retry)
}

// The classifier for every (idempotent?) × (written?) × (failure kind).
func TestClassifyTable(t *testing.T) {
	type row struct {
		idempotent, written bool
		kind                Failure
		want                Decision
	}
	var rows []row
	for _, idem := range []bool{true, false} {
		for _, written := range []bool{true, false} {
			add := func(k Failure, d Decision) { rows = append(rows, row{idem, written, k, d}) }
			add(None, Done)
			add(Rejected, Done)
			add(Throttled, Again)
			switch {
			case !written:
				add(Transport, Again)
				add(Server, Again)
				add(Decode, Again)
				add(Canceled, Done)
			case idem:
				add(Transport, Again)
				add(Server, Again)
				add(Decode, Done)
				add(Canceled, Done)
			default: // a paid order that left
				add(Transport, Unknown)
				add(Server, Unknown)
				add(Decode, Unknown)
				add(Canceled, Unknown)
			}
		}
	}
	require.Len(t, rows, 28)
	for _, r := range rows {
		// Statuses and codes that leave the kind's meaning as it is.
		status, code := 0, ""
		switch r.kind {
		case Throttled:
			status, code = 400, "Throttling.User"
		case Server:
			status, code = 502, ""
		case Rejected:
			status, code = 400, "InvalidParameter"
		case None, Decode:
			status = 200
		}
		got, reason := Classify(r.idempotent, r.written, r.kind, status, code)
		assert.Equal(t, r.want, got, "idempotent=%v written=%v kind=%v", r.idempotent, r.written, r.kind)
		assert.NotEmpty(t, reason)
	}
}

// A paid order's error answers, by status and code (issue 9): throttling is
// retried only where the status says the request was not processed, and a
// server-side failure is an unknown outcome whatever the status.
func TestClassifyPaidAnswersByStatusAndCode(t *testing.T) {
	rows := []struct {
		kind   Failure
		status int
		code   string
		paid   Decision // a paid order that reached the server
		read   Decision
	}{
		{Throttled, 400, "Throttling.User", Again, Again},
		{Throttled, 429, "Throttling", Again, Again},
		{Throttled, 503, "Throttling.Api", Again, Again},
		{Throttled, 500, "Throttling.User", Unknown, Again},
		{Throttled, 502, "Throttling", Unknown, Again},
		{Throttled, 504, "Throttling", Unknown, Again},
		{Throttled, 200, "Throttling", Unknown, Again},
		{Rejected, 400, "InternalError", Unknown, Done},
		{Rejected, 400, "ServiceUnavailable", Unknown, Done},
		{Rejected, 404, "InternalError.Database", Unknown, Done},
		{Rejected, 403, "UnknownError", Unknown, Done},
		{Rejected, 408, "", Unknown, Done},
		{Rejected, 408, "RequestTimeout", Unknown, Done},
		{Rejected, 400, "InvalidParameter", Done, Done},
		{Rejected, 400, "InternalErrorX", Done, Done},
		{Rejected, 404, "InvalidDomainName.NoExist", Done, Done},
		{Server, 500, "InternalError", Unknown, Again},
		{Server, 503, "", Unknown, Again},
	}
	for _, r := range rows {
		got, reason := Classify(false, true, r.kind, r.status, r.code)
		assert.Equal(t, r.paid, got, "paid: kind=%v status=%d code=%q (%s)", r.kind, r.status, r.code, reason)
		got, reason = Classify(true, true, r.kind, r.status, r.code)
		assert.Equal(t, r.read, got, "read: kind=%v status=%d code=%q (%s)", r.kind, r.status, r.code, reason)
	}
}

func TestBackoffIsFullJitterAndCapped(t *testing.T) {
	p := Policy{MaxAttempts: 10, BaseDelay: 10 * time.Millisecond, MaxDelay: 40 * time.Millisecond}
	for attempt, ceil := range map[int]time.Duration{1: 10 * time.Millisecond, 2: 20 * time.Millisecond, 3: 40 * time.Millisecond, 9: 40 * time.Millisecond} {
		var maxSeen time.Duration
		var minSeen = ceil
		for i := 0; i < 2000; i++ {
			d := p.Backoff(attempt)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceil, "attempt %d", attempt)
			maxSeen, minSeen = max(maxSeen, d), min(minSeen, d)
		}
		assert.Greater(t, maxSeen, ceil/2, "attempt %d never waited long: not jittered over the full range", attempt)
		assert.Less(t, minSeen, ceil/2, "attempt %d never waited briefly: not full jitter", attempt)
	}
	d := Policy{}.WithDefaults()
	assert.Equal(t, DefaultPolicy(), d)
	assert.Equal(t, 3, d.MaxAttempts)
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	require.ErrorIs(t, Sleep(ctx, time.Hour), context.Canceled)
	assert.Less(t, time.Since(start), time.Second)
	require.NoError(t, Sleep(context.Background(), time.Millisecond))
}

// A code that only starts with SignatureNonceUsed (no dot) is no second delivery.
func TestSecondDeliveryCodes(t *testing.T) {
	assert.True(t, secondDelivery("SignatureNonceUsed"))
	assert.True(t, secondDelivery("SignatureNonceUsed.V3"))
	assert.False(t, secondDelivery("SignatureNonceUsedX"))
}
