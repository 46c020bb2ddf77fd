package alidomain

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/alidomain/alidomain/internal/wire"
)

// PriceAction is the kind of order a price is for, as CheckDomain's
// FeeCommand and QueryDomainRealTimePrice's Action name it.
type PriceAction string

const (
	// PriceCreate is the price of a registration.
	PriceCreate PriceAction = "create"
	// PriceRenew is the price of a renewal.
	PriceRenew PriceAction = "renew"
	// PriceTransfer is the price of a transfer in.
	PriceTransfer PriceAction = "transfer"
	// PriceRestore is the price of a redemption.
	PriceRestore PriceAction = "restore"
)

// check returns why a is not one of the documented actions, or "".
func (a PriceAction) check() string {
	switch a {
	case PriceCreate, PriceRenew, PriceTransfer, PriceRestore:
		return ""
	case "":
		return "is empty: give create, renew, transfer or restore"
	}
	return fmt.Sprintf("%q is not create, renew, transfer or restore", string(a))
}

// PriceItem is one price to ask for. Its JSON form is the wire's item of
// DomainItem.
type PriceItem struct {
	// Action is the kind of order to price (the service documents only
	// renew for this action; CheckDomain's FeeCommand values are accepted).
	Action PriceAction `json:"Action,omitempty"`
	// DomainName is the domain, in ASCII (punycode) or Unicode form.
	DomainName string `json:"DomainName,omitempty"`
	// Years is the period to price, 1 to 10, sent as Period; 0 is not sent
	// and the service prices its default period.
	Years int `json:"Period,omitempty"`
	// Suffix is the domain's suffix without a leading dot, such as com or
	// com.cn; empty is not sent.
	Suffix string `json:"Suffix,omitempty"`
}

// PriceRequest is the input of DomainService.Price
// (QueryDomainRealTimePrice).
type PriceRequest struct {
	// Currency is the currency to price in, such as USD or CNY; required.
	Currency string `url:"Currency"`
	// Items are the prices to ask for, sent as one parameter DomainItem
	// holding them as a JSON array (not as DomainItem.N.* keys).
	Items []PriceItem `url:"DomainItem,json"`
}

// Validate checks the request without sending anything: a three-letter
// currency, at least one item, each with a documented action, a
// well-formed domain, 0 to 10 years and a suffix the name ends with, and no
// item twice (the same domain in any form, action and years). It returns a
// *ValidationError naming the field, such as Items[1].Years.
func (r *PriceRequest) Validate() error {
	if r == nil {
		return &ValidationError{Field: "PriceRequest", Reason: "is nil"}
	}
	if reason := checkCurrency(r.Currency); reason != "" {
		return &ValidationError{Field: "Currency", Reason: reason}
	}
	if len(r.Items) == 0 {
		return &ValidationError{Field: "Items", Reason: "is empty: give at least one domain to price"}
	}
	type key struct {
		name   string
		action PriceAction
		years  int
	}
	seen := make(map[key]int, len(r.Items))
	for i, it := range r.Items {
		field := func(f string) string { return "Items[" + strconv.Itoa(i) + "]." + f }
		if reason := it.Action.check(); reason != "" {
			return &ValidationError{Field: field("Action"), Reason: reason}
		}
		if reason := checkDomainName(it.DomainName); reason != "" {
			return &ValidationError{Field: field("DomainName"), Reason: reason}
		}
		if it.Years < 0 || it.Years > 10 {
			return &ValidationError{Field: field("Years"), Reason: fmt.Sprintf("is %d; give 1 to 10 years (0: the service's default)", it.Years)}
		}
		if s := it.Suffix; s != "" {
			n := wire.CanonicalName(it.DomainName)
			if suf := wire.CanonicalName(s); strings.HasPrefix(s, ".") || !strings.HasSuffix(n, "."+suf) {
				return &ValidationError{Field: field("Suffix"), Reason: fmt.Sprintf("%q is not the suffix of %q (give it without a leading dot)", s, it.DomainName)}
			}
		}
		k := key{wire.CanonicalName(it.DomainName), it.Action, it.Years}
		if j, dup := seen[k]; dup {
			return &ValidationError{Field: field("DomainName"), Reason: fmt.Sprintf("%q with the same action and years is already Items[%d]", it.DomainName, j)}
		}
		seen[k] = i
	}
	return nil
}

// checkCurrency returns why c is not a three-letter currency code, or "".
func checkCurrency(c string) string {
	if c == "" {
		return "is empty: give a currency such as USD or CNY"
	}
	if len(c) != 3 {
		return fmt.Sprintf("%q is not a three-letter currency code", c)
	}
	for i := 0; i < 3; i++ {
		if b := c[i] | 0x20; b < 'a' || b > 'z' {
			return fmt.Sprintf("%q is not a three-letter currency code", c)
		}
	}
	return ""
}

// DomainPrice is the price of one PriceItem.
type DomainPrice struct {
	// DomainName is the domain, as the service wrote it.
	DomainName string
	// Action is the kind of order priced.
	Action PriceAction
	// Years is the period priced (the service's Period).
	Years int
	// Currency is the price's currency.
	Currency string
	// Price is the amount as the wire carries it, a JSON number decoded as
	// a float64 (16.22 is not exact in binary): to add prices up exactly,
	// convert each to minor units first, as math.Round(p.Price*100) for
	// cents.
	Price float64
	// Premium reports a premium name.
	Premium bool
	// Avail says whether the order priced can be placed: AvailOrderable
	// with a price, another code with a Reason (such as "cannot be
	// renewed"). It is not CheckDomain's Availability: a renewal quote
	// answers whether the renewal can be ordered, not whether the name can
	// be registered.
	Avail OrderAvailability
	// Reason says why the order cannot be placed.
	Reason string
	// Err, when not nil, says that the answer gives no usable price for
	// this item (the price missing, null, empty or negative): Price is
	// then 0 and Avail is not AvailRegistrable, and the item must be
	// neither added to a total nor ordered.
	Err error `json:"-"`
}

// OrderAvailability is whether a quoted order can be placed
// (QueryDomainRealTimePrice's Avail). The service documents only that 1
// comes with a price; other codes come with a Reason and no price.
type OrderAvailability int

const (
	// AvailNotOrderable is a quote for an order that cannot be placed
	// (code 0; see DomainPrice.Reason).
	AvailNotOrderable OrderAvailability = 0
	// AvailOrderable is a quote for an order that can be placed, at
	// DomainPrice.Price.
	AvailOrderable OrderAvailability = 1
)

// String returns "orderable" for AvailOrderable and "not orderable" for
// any other code, with the code when it is not 0.
func (a OrderAvailability) String() string {
	switch a {
	case AvailOrderable:
		return "orderable"
	case AvailNotOrderable:
		return "not orderable"
	}
	return fmt.Sprintf("not orderable (code %d)", int(a))
}

// PriceResult is the answer of QueryDomainRealTimePrice.
type PriceResult struct {
	Meta
	// Prices holds one price per PriceRequest.Items, in the same order.
	Prices []DomainPrice
}

// priceResponse is QueryDomainRealTimePrice's answer. It can report a
// business failure inside HTTP 200 (Success false, ErrorCode, ErrorMsg and
// HttpStatusCode in the body): wireMeta's envelope makes it an error answer.
type priceResponse struct {
	wireMeta
	Module *listData[wirePrice, DomainPrice] `json:"Module" xml:"Module"`

	prices []DomainPrice // set by answersPrices, in the request's order
}

// check refuses an answer without Module.
func (r *priceResponse) check() error {
	if r.Module == nil {
		return errors.New("the response has no Module")
	}
	return nil
}

// wirePrice is one entry of Module.DomainPrices. Price and Period remember
// whether they were sent: a missing price is not a price of 0, and a
// missing period is not the period asked for.
type wirePrice struct {
	DomainName wire.FlexString    `json:"DomainName" xml:"DomainName"`
	Action     wire.FlexString    `json:"Action" xml:"Action"`
	Period     wire.OptionalInt   `json:"Period" xml:"Period"`
	Currency   wire.FlexString    `json:"Currency" xml:"Currency"`
	Price      wire.OptionalFloat `json:"Price" xml:"Price"`
	Premium    wire.FlexBool      `json:"Premium" xml:"Premium"`
	Avail      wire.FlexInt       `json:"Avail" xml:"Avail"`
	Reason     wire.FlexString    `json:"Reason" xml:"Reason"`
}

func (wirePrice) listKey() string { return "DomainPrices" }

// item converts the price. A price that is missing, null, empty or
// negative is no price: the DomainPrice carries Err, a Price of 0 and an
// Avail that is never AvailRegistrable, so that it is neither added up nor
// ordered.
func (w wirePrice) item() (DomainPrice, error) {
	if w.DomainName == "" {
		return DomainPrice{}, errors.New("a price has no DomainName")
	}
	p := DomainPrice{
		DomainName: string(w.DomainName),
		Action:     PriceAction(w.Action),
		Years:      int(w.Period.V),
		Currency:   string(w.Currency),
		Premium:    bool(w.Premium),
		Avail:      OrderAvailability(w.Avail),
		Reason:     string(w.Reason),
	}
	switch {
	case !w.Price.OK:
		p.Err = fmt.Errorf("alidomain: the service quoted no price for %s (Price missing, null or empty)", p.DomainName)
	case w.Price.V < 0:
		p.Err = fmt.Errorf("alidomain: the service quoted a negative price for %s (%v)", p.DomainName, w.Price.V)
	default:
		p.Price = w.Price.V
	}
	if p.Err != nil {
		if p.Avail == AvailOrderable {
			p.Avail = AvailNotOrderable
		}
		if p.Reason == "" {
			p.Reason = p.Err.Error()
		}
	}
	return p, nil
}

// answersPrices pairs each item asked for with one price of the answer, in
// the request's order: a price for the same domain (in any form), the same
// action (when echoed) and a Period that is the years asked for (any
// Period when the item leaves Years 0; a price without a Period answers no
// item), in the currency asked. An item without a price, or a price nobody
// asked for, is an error: the list does not answer the request.
func answersPrices(req *PriceRequest, r *priceResponse) error {
	got := make([]DomainPrice, len(r.Module.items))
	for i, w := range r.Module.items {
		p, err := w.item()
		if err != nil {
			return fmt.Errorf("Module.DomainPrices[%d]: %w", i, err)
		}
		if p.Currency != "" && !strings.EqualFold(p.Currency, req.Currency) {
			return fmt.Errorf("the price of %s is in %s, %s was asked for", p.DomainName, p.Currency, req.Currency)
		}
		got[i] = p
	}
	used := make([]bool, len(got))
	r.prices = make([]DomainPrice, len(req.Items))
	for i, it := range req.Items {
		match, near := -1, -1
		for j, p := range got {
			if used[j] || !sameDomainName(it.DomainName, p.DomainName) ||
				p.Action != "" && !strings.EqualFold(string(p.Action), string(it.Action)) {
				continue
			}
			if !r.Module.items[j].Period.OK || it.Years != 0 && p.Years != it.Years {
				near = j
				continue
			}
			match = j
			break
		}
		if match < 0 {
			msg := fmt.Sprintf("no price for %s (%s, %d years) in the response", it.DomainName, it.Action, it.Years)
			switch {
			case near >= 0 && !r.Module.items[near].Period.OK:
				msg += ": its price has no Period, so the years it is for are unknown"
			case near >= 0:
				msg += fmt.Sprintf(": its price is for %d years", got[near].Years)
			}
			return errors.New(msg)
		}
		used[match] = true
		p := got[match]
		if p.Action == "" {
			p.Action = it.Action
		}
		if p.Currency == "" {
			p.Currency = req.Currency
		}
		r.prices[i] = p
	}
	for j, u := range used {
		if !u {
			return fmt.Errorf("the response prices %s (%s), which was not asked for", got[j].DomainName, got[j].Action)
		}
	}
	return nil
}

var opQueryDomainRealTimePrice = &operation[PriceRequest, priceResponse, PriceResult]{
	action:     "QueryDomainRealTimePrice",
	idempotent: true,
	noLang:     true,
	validate:   (*PriceRequest).Validate,
	check:      (*priceResponse).check,
	answers:    answersPrices,
	result: func(r *priceResponse, m Meta) *PriceResult {
		return &PriceResult{Meta: m, Prices: r.prices}
	},
}

// Price returns the current price of each item of req
// (QueryDomainRealTimePrice), one per item in the same order. A business
// failure that the service reports inside an HTTP 200 answer (Success
// false, ErrorCode) is an *APIError with that code, message and the body's
// HttpStatusCode, never a price. An answer whose prices do not match the
// items asked for (one missing, one for other years or without a Period,
// one not asked for, another currency) is an error too. An item whose
// price is missing, null, empty or negative has DomainPrice.Err set: it is
// never a price of 0, and never orderable.
func (s *DomainService) Price(ctx context.Context, req *PriceRequest, optFns ...func(*Options)) (*PriceResult, error) {
	return opQueryDomainRealTimePrice.call(ctx, (*service)(s), req, optFns)
}
