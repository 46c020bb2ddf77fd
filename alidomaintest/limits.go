package alidomaintest

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// DefaultMaxURLLength is the longest request-URI (path and query, as sent
// on the request line) the Server accepts unless WithMaxURLLength says
// otherwise: 8 KiB, as gateways commonly limit it.
const DefaultMaxURLLength = 8 << 10

// WithMaxURLLength sets the longest request-URI the Server accepts (default
// DefaultMaxURLLength); a longer one is answered HTTP 414 with an HTML page,
// as a gateway's front proxy does, before any gateway check. Parameters in
// an application/x-www-form-urlencoded body do not count.
func WithMaxURLLength(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxURL = n
		}
	}
}

// WithRateLimit makes the Server enforce a rate for the whole account, on
// its clock (see WithClock): a token bucket of burst requests (at least 1)
// refilled at perSecond. A request beyond it that passed the gateway checks
// is answered HTTP 400 Throttling.User with an x-ratelimit-user-api header
// (Limit, Remain and TimeLeft, the milliseconds until a request would get
// through; the official runtime reads TimeLeft from it) without performing
// the action; Server.Throttled counts them. Zero or a negative perSecond
// means no limit, the default.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *config) {
		c.rate, c.burst = perSecond, max(burst, 1)
	}
}

// Throttled returns how many requests the rate limit (WithRateLimit)
// refused. They are also counted by Requests; an injected Throttle is not
// counted here.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// rateLimiter is a token bucket on the Server's clock. s.mu guards it.
type rateLimiter struct {
	rate, burst, tokens float64
	last                time.Time
}

// take takes a token at now; when there is none it reports how long until
// one is there.
func (l *rateLimiter) take(now time.Time) (time.Duration, bool) {
	if l.rate <= 0 {
		return 0, false
	}
	if el := now.Sub(l.last).Seconds(); el > 0 {
		l.tokens = math.Min(l.burst, l.tokens+el*l.rate)
		l.last = now
	}
	if l.tokens >= 1 {
		l.tokens--
		return 0, false
	}
	return time.Duration((1 - l.tokens) / l.rate * float64(time.Second)), true
}

// hint is the x-ratelimit-user-api value for a refused request.
func (l *rateLimiter) hint(wait time.Duration) string {
	ms := int64(math.Ceil(float64(wait) / float64(time.Millisecond)))
	return "Limit:" + strconv.FormatFloat(l.rate, 'f', -1, 64) + ",Remain:0,TimeLeft:" + strconv.FormatInt(ms, 10)
}

// writeURITooLong answers 414 as a front proxy does: an HTML page, no API
// error body.
func writeURITooLong(w http.ResponseWriter, reqID string) {
	body := []byte("<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n" +
		"<center><h1>414 Request-URI Too Large</h1></center>\r\n</body>\r\n</html>\r\n")
	writeRaw(w, reqID, http.StatusRequestURITooLong, "text/html", body)
}
