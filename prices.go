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
	// Avail is whether the order can be placed; the service does not
	// document this action's codes, and answers 1 with a price and another
	// code with a Reason (such as "cannot be renewed").
	Avail Availability
	// Reason says why the order cannot be placed.
	Reason string
}

// PriceResult is the answer of QueryDomainRealTimePrice.
type PriceResult struct {
	Meta
	// Prices holds one price per PriceRequest.Items, in the same order.
	Prices []DomainPrice
}

// priceResponse is QueryDomainRealTimePrice's answer. Unlike the other
// actions it can report a business failure inside HTTP 200, with Success
// false and ErrorCode, ErrorMsg and HttpStatusCode in the body.
type priceResponse struct {
	wireMeta
	Success        *flexBool                         `json:"Success" xml:"Success"`
	HTTPStatusCode flexInt                           `json:"HttpStatusCode" xml:"HttpStatusCode"`
	ErrorCode      flexString                        `json:"ErrorCode" xml:"ErrorCode"`
	ErrorMsg       flexString                        `json:"ErrorMsg" xml:"ErrorMsg"`
	DynamicCode    flexString                        `json:"DynamicCode" xml:"DynamicCode"`
	DynamicMessage flexString                        `json:"DynamicMessage" xml:"DynamicMessage"`
	Module         *listData[wirePrice, DomainPrice] `json:"Module" xml:"Module"`

	prices []DomainPrice // set by answersPrices, in the request's order
}

// envelope turns an in-body business failure into an error answer: its
// ErrorCode (or DynamicCode) and message, with the body's HttpStatusCode.
func (r priceResponse) envelope() wireMeta {
	m := r.wireMeta
	if m.Code != "" {
		return m
	}
	code, msg := string(r.ErrorCode), string(r.ErrorMsg)
	if code == "" && r.Success != nil && !bool(*r.Success) {
		code = string(r.DynamicCode)
	}
	if msg == "" {
		msg = string(r.DynamicMessage)
	}
	if code != "" {
		m.Code, m.Message = code, msg
		m.status = inBodyStatus(int(r.HTTPStatusCode))
	}
	return m
}

// inBodyStatus returns an in-body HTTP status, or 200 (the status the
// answer came with) when it is not one.
func inBodyStatus(s int) int {
	if s < 100 || s > 599 {
		return 200
	}
	return s
}

// check refuses Success false without a code (never a price) and an answer
// without Module.
func (r *priceResponse) check() error {
	if r.Success != nil && !bool(*r.Success) {
		return errors.New("the response says Success false (with no ErrorCode)")
	}
	if r.Module == nil {
		return errors.New("the response has no Module")
	}
	return nil
}

// wirePrice is one entry of Module.DomainPrices.
type wirePrice struct {
	DomainName flexString `json:"DomainName" xml:"DomainName"`
	Action     flexString `json:"Action" xml:"Action"`
	Period     flexInt    `json:"Period" xml:"Period"`
	Currency   flexString `json:"Currency" xml:"Currency"`
	Price      flexFloat  `json:"Price" xml:"Price"`
	Premium    flexBool   `json:"Premium" xml:"Premium"`
	Avail      flexInt    `json:"Avail" xml:"Avail"`
	Reason     flexString `json:"Reason" xml:"Reason"`
}

func (wirePrice) listKey() string { return "DomainPrices" }

func (w wirePrice) item() (DomainPrice, error) {
	if w.DomainName == "" {
		return DomainPrice{}, errors.New("a price has no DomainName")
	}
	if w.Price < 0 {
		return DomainPrice{}, fmt.Errorf("the price of %s is negative (%v)", string(w.DomainName), float64(w.Price))
	}
	return DomainPrice{
		DomainName: string(w.DomainName),
		Action:     PriceAction(w.Action),
		Years:      int(w.Period),
		Currency:   string(w.Currency),
		Price:      float64(w.Price),
		Premium:    bool(w.Premium),
		Avail:      Availability(w.Avail),
		Reason:     string(w.Reason),
	}, nil
}

// answersPrices pairs each item asked for with one price of the answer, in
// the request's order: a price for the same domain (in any form), the same
// action (when echoed) and the same years (when both are given), in the
// currency asked. An item without a price, or a price nobody asked for, is
// an error: the list does not answer the request.
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
		match := -1
		for j, p := range got {
			if used[j] || !sameDomainName(it.DomainName, p.DomainName) ||
				p.Action != "" && !strings.EqualFold(string(p.Action), string(it.Action)) ||
				it.Years != 0 && p.Years != 0 && p.Years != it.Years {
				continue
			}
			match = j
			break
		}
		if match < 0 {
			return fmt.Errorf("no price for %s (%s, %d years) in the response", it.DomainName, it.Action, it.Years)
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
// items asked for (one missing, one not asked for, another currency) is an
// error too.
func (s *DomainService) Price(ctx context.Context, req *PriceRequest, optFns ...func(*Options)) (*PriceResult, error) {
	return opQueryDomainRealTimePrice.call(ctx, (*service)(s), req, optFns)
}
