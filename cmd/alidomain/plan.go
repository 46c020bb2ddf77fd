package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/alidomain/alidomain"
)

// Limits that decide how many calls a big account takes.
const (
	// maxBatch is the most domains one SaveBatchTaskForCreatingOrder* call
	// carries (the API metadata's limit of its list parameter).
	maxBatch = 1000
	// maxQuote is the most items one QueryDomainRealTimePrice call prices;
	// the API documents no maximum, so the order batch's is used.
	maxQuote = 1000
	// maxLookups is the most domains named on the command line or in a file
	// that are read one by one (QueryDomainByDomainName); more are found by
	// listing the account.
	maxLookups = 100
)

// Item statuses.
const (
	stPlanned      = "planned"       // would be ordered
	stSkipped      = "skipped"       // not ordered: see message
	stSubmitted    = "submitted"     // in a task not yet final
	stSucceeded    = "succeeded"     // the task's detail succeeded
	stFailed       = "failed"        // the task's detail failed, or the order was refused
	stUnknown      = "unknown"       // the order's outcome could not be found out
	stNotOrdered   = "not-ordered"   // an unknown outcome reconciled: no order exists
	stNotSubmitted = "not-submitted" // left out after an earlier batch failed
)

// item is one domain of a plan: what would be ordered, its price and, once
// ordered, what became of it.
type item struct {
	Domain    string     `json:"domain"`
	Expires   *time.Time `json:"expires,omitempty"`
	Years     int        `json:"years,omitempty"`
	Premium   bool       `json:"premium,omitempty"`
	Price     *float64   `json:"price"` // null: no price, never counted as 0
	PriceNote string     `json:"price_note,omitempty"`
	Status    string     `json:"status"`
	Task      string     `json:"task,omitempty"`
	Message   string     `json:"message,omitempty"`

	key   string // canonical name
	cents int64  // price in minor units
	code  string // transfer authorization code: a secret, never shown
	// result is the succeeded detail's TaskResult (transfer-out code
	// prints it once; nothing else shows it).
	result string
}

// priced reports whether the item has a price.
func (it *item) priced() bool { return it.Price != nil }

// selection says which domains a command works on.
type selection struct {
	names    []string // DOMAIN... and --file lines
	expiring durationFlag
	all      bool
}

// count is how many ways of selecting were given.
func (s *selection) count() int {
	n := 0
	if len(s.names) > 0 {
		n++
	}
	if s.expiring.set {
		n++
	}
	if s.all {
		n++
	}
	return n
}

// dedupe turns names into items, one per canonical name.
func dedupe(names []string) ([]*item, error) {
	seen := map[string]bool{}
	var out []*item
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		k := canonical(n)
		if k == "" || strings.ContainsAny(k, " \t/,;") {
			return nil, usageErr("%q is not a domain name", n)
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, &item{Domain: n, key: k, Status: stPlanned})
	}
	return out, nil
}

// selectHeld finds the account's domains that sel names, for renewal
// (queryType "") or redemption (QueryNeedsRedemption), with their expiration
// dates. Domains that cannot be ordered are kept as skipped, with why.
func (a *app) selectHeld(ctx context.Context, k *kind, sel *selection, years int, permitPremium bool) ([]*item, error) {
	c, err := a.getClient()
	if err != nil {
		return nil, err
	}
	var list []alidomain.Domain
	var items []*item
	switch {
	case sel.expiring.set || sel.all:
		req := alidomain.ListDomainsRequest{}
		if sel.expiring.set {
			req.EndExpirationDate = time.Now().Add(sel.expiring.d)
		}
		if k.name == "redeem" {
			req.QueryType = alidomain.QueryNeedsRedemption
		} else if sel.all {
			req.QueryType = alidomain.QueryNeedsRenewal
		}
		list, err = a.listDomains(ctx, req, "listing domains")
		if err != nil {
			return nil, err
		}
		left := 0
		for _, d := range list {
			if k.name == "renew" && d.DomainStatus == alidomain.DomainNeedsRedemption {
				left++ // can only be redeemed
				continue
			}
			items = append(items, &item{Domain: d.DomainName, key: canonical(d.DomainName), Status: stPlanned})
		}
		if left > 0 && a.output != "json" {
			fmt.Fprintf(a.stderr, "%d domains in their redemption period left out (alidomain redeem orders them)\n", left)
		}
	default:
		items, err = dedupe(sel.names)
		if err != nil {
			return nil, err
		}
		if len(items) <= maxLookups {
			p := a.newProgress()
			for i, it := range items {
				p.bar("reading domains", i, len(items), "", false)
				d, err := c.Domains.Get(ctx, &alidomain.GetDomainRequest{DomainName: it.Domain})
				var apiErr *alidomain.APIError
				if errors.As(err, &apiErr) {
					it.Status, it.Message = stSkipped, "not in the account: "+apiErr.ErrorMessage()
					continue
				}
				if err != nil {
					p.done()
					return nil, err
				}
				list = append(list, alidomain.Domain{DomainName: d.DomainName, DomainStatus: d.DomainStatus,
					ExpirationDate: d.ExpirationDate, Premium: d.Premium})
			}
			p.done()
		} else {
			req := alidomain.ListDomainsRequest{}
			if k.name == "redeem" {
				req.QueryType = alidomain.QueryNeedsRedemption
			}
			list, err = a.listDomains(ctx, req, "listing domains")
			if err != nil {
				return nil, err
			}
		}
	}
	byKey := make(map[string]alidomain.Domain, len(list))
	for _, d := range list {
		byKey[canonical(d.DomainName)] = d
	}
	for _, it := range items {
		if it.Status != stPlanned {
			continue
		}
		d, ok := byKey[it.key]
		switch {
		case !ok && k.name == "redeem":
			it.Status, it.Message = stSkipped, "not in its redemption period (or not in the account)"
		case !ok:
			it.Status, it.Message = stSkipped, "not in the account"
		case k.name == "renew" && d.DomainStatus == alidomain.DomainNeedsRedemption:
			it.Status, it.Message = stSkipped, "in its redemption period: alidomain redeem orders it"
		case k.name == "redeem" && d.DomainStatus != alidomain.DomainNeedsRedemption:
			it.Status, it.Message = stSkipped, "not in its redemption period"
		case k.name == "renew" && d.Premium && !permitPremium:
			it.Status, it.Message = stSkipped, "premium domain: --permit-premium orders it at its premium price"
		}
		if ok {
			exp := d.ExpirationDate
			it.Expires, it.Premium = &exp, d.Premium
		}
		if k.hasYears {
			it.Years = years
		}
	}
	return items, nil
}

// quote prices every planned item in as few QueryDomainRealTimePrice calls
// as maxQuote allows. An item without a price keeps a nil Price and a note.
func (a *app) quote(ctx context.Context, action alidomain.PriceAction, items []*item) error {
	c, err := a.getClient()
	if err != nil {
		return err
	}
	var todo []*item
	for _, it := range items {
		if it.Status == stPlanned {
			todo = append(todo, it)
		}
	}
	p := a.newProgress()
	defer p.done()
	for start := 0; start < len(todo); start += maxQuote {
		chunk := todo[start:min(start+maxQuote, len(todo))]
		req := &alidomain.PriceRequest{Currency: a.currency, Items: make([]alidomain.PriceItem, len(chunk))}
		for i, it := range chunk {
			req.Items[i] = alidomain.PriceItem{Action: action, DomainName: it.Domain, Years: it.Years}
		}
		p.bar("pricing", start, len(todo), "", true)
		res, err := c.Domains.Price(ctx, req)
		if err != nil {
			return fmt.Errorf("pricing: %w", err)
		}
		for i, pr := range res.Prices {
			it := chunk[i]
			if pr.Avail != alidomain.AvailOrderable {
				// The PRICE column already says "no price": the note gives why.
				it.PriceNote = pr.Reason
				if it.PriceNote == "" {
					it.PriceNote = "no price"
				}
				continue
			}
			v := pr.Price
			it.Price, it.cents = &v, int64(math.Round(pr.Price*100))
			if pr.Premium {
				it.Premium = true
			}
		}
	}
	return nil
}

// totals sums the prices of the items in the given statuses; unpriced
// counts those without a price.
func totals(items []*item, statuses ...string) (cents int64, priced, unpriced int) {
	for _, it := range items {
		ok := false
		for _, s := range statuses {
			ok = ok || it.Status == s
		}
		if !ok {
			continue
		}
		if it.priced() {
			cents += it.cents
			priced++
		} else {
			unpriced++
		}
	}
	return cents, priced, unpriced
}

// parseAmount reads an amount such as 500 or 499.90 into minor units.
func parseAmount(s string) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 || strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("%q is not an amount such as 500 or 499.90", s)
	}
	var w, f int64
	for _, r := range whole {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not an amount such as 500 or 499.90", s)
		}
		w = w*10 + int64(r-'0')
		if w > math.MaxInt64/1000 {
			return 0, fmt.Errorf("%q is too large", s)
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	for _, r := range frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%q is not an amount such as 500 or 499.90", s)
		}
		f = f*10 + int64(r-'0')
	}
	return w*100 + f, nil
}
