package alidomaintest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/catalog"
)

// checkParams runs the gateway's parameter checks for action from the
// catalog, parameters in the catalog's (wire name) order: a required
// parameter missing is MissingParameter naming it (Name.1 for a repeated
// list, Name.N.Field for a struct list's item), a value not of its type,
// outside its enum or range, over its length, or a list over its documented
// number of items is InvalidParameter naming it. Parameters the catalog
// does not list are left alone, as the gateway ignores them, and so are
// those named in skip, which the action's handler checks itself.
func checkParams(a *catalog.Action, p params, skip []string) *gatewayError {
	for _, prm := range a.Params {
		if slices.Contains(skip, prm.Wire) {
			continue
		}
		var err *gatewayError
		switch prm.List {
		case catalog.Repeated:
			err = checkRepeated(prm, p)
		case catalog.RepeatedStruct:
			err = checkStructList(prm, p)
		case catalog.JSONList:
			err = checkJSONList(prm, p)
		default:
			v, ok := p[prm.Wire]
			switch {
			case !ok || v == "":
				if prm.Required {
					err = errMissing(prm.Wire)
				}
			default:
				err = checkValue(prm, prm.Wire, v)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkValue checks one scalar value against its parameter's type, enum,
// range and length; name is how the error names it.
func checkValue(prm *catalog.Param, name, v string) *gatewayError {
	switch prm.Type {
	case "integer", "int32", "int64", "long":
		n, ok := wireInt(v)
		if !ok || (prm.Type == "int32" && (n < math.MinInt32 || n > math.MaxInt32)) {
			return errInvalid(name)
		}
		if (prm.Min != nil && float64(n) < *prm.Min) || (prm.Max != nil && float64(n) > *prm.Max) {
			return errOutOfRange(name)
		}
	case "float", "double":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return errInvalid(name)
		}
		if (prm.Min != nil && f < *prm.Min) || (prm.Max != nil && f > *prm.Max) {
			return errOutOfRange(name)
		}
	case "boolean":
		if _, ok := wireBool(v); !ok {
			return errInvalid(name)
		}
	}
	if prm.MaxLength > 0 && utf8.RuneCountInString(v) > prm.MaxLength {
		return &gatewayError{http.StatusBadRequest, "InvalidParameter",
			fmt.Sprintf("The specified parameter %q is not valid: longer than %d characters.", name, prm.MaxLength)}
	}
	if len(prm.Enum) > 0 {
		for _, e := range prm.Enum {
			if strings.EqualFold(e, v) {
				return nil
			}
		}
		return errInvalid(name)
	}
	return nil
}

func errOutOfRange(name string) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid: out of range.", name)}
}

func errTooMany(name string, limit int) *gatewayError {
	return &gatewayError{http.StatusBadRequest, "InvalidParameter",
		fmt.Sprintf("The specified parameter %q is not valid: more than %d items.", name, limit)}
}

// listIndexes returns the item numbers used by the keys prefix+N[rest] in
// p, sorted; a key whose N is not a plain positive number is refused.
func listIndexes(p params, prefix string, structured bool) ([]int, *gatewayError) {
	seen := map[int]bool{}
	for k := range p {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := k[len(prefix):]
		num := rest
		if structured {
			i := strings.IndexByte(rest, '.')
			if i < 0 {
				return nil, errInvalid(k)
			}
			num = rest[:i]
		} else if strings.Contains(rest, ".") {
			return nil, errInvalid(k)
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 1 || num != strconv.Itoa(n) {
			return nil, errInvalid(k)
		}
		seen[n] = true
	}
	out := make([]int, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}

// checkRepeated checks a Name.N list: Name.1 when required, no gap, at most
// MaxItems, each value of the element's type.
func checkRepeated(prm *catalog.Param, p params) *gatewayError {
	idx, err := listIndexes(p, prm.Wire+".", false)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		if prm.Required {
			return errMissing(prm.Wire + ".1")
		}
		return nil
	}
	last := idx[len(idx)-1]
	if prm.MaxItems > 0 && last > prm.MaxItems {
		return errTooMany(prm.Wire, prm.MaxItems)
	}
	for n := 1; n <= last; n++ {
		name := prm.Wire + "." + strconv.Itoa(n)
		v, ok := p[name]
		if !ok || v == "" {
			return errMissing(name)
		}
		if err := checkValue(prm, name, v); err != nil {
			return err
		}
	}
	return nil
}

// checkStructList checks a Name.N.Field list: at least one item when
// required (a missing list is named by its own name), no gap, at most
// MaxItems, each item with its required fields, each field of its type.
func checkStructList(prm *catalog.Param, p params) *gatewayError {
	idx, err := listIndexes(p, prm.Wire+".", true)
	if err != nil {
		return err
	}
	if len(idx) == 0 {
		if prm.Required {
			return errMissing(prm.Wire)
		}
		return nil
	}
	last := idx[len(idx)-1]
	if prm.MaxItems > 0 && last > prm.MaxItems {
		return errTooMany(prm.Wire, prm.MaxItems)
	}
	present := map[int]bool{}
	for _, n := range idx {
		present[n] = true
	}
	for n := 1; n <= last; n++ {
		base := prm.Wire + "." + strconv.Itoa(n) + "."
		if !present[n] {
			return errMissing(base + firstField(prm).Wire)
		}
		for _, f := range prm.Fields {
			name := base + f.Wire
			v, ok := p[name]
			if !ok || v == "" {
				if f.Required {
					return errMissing(name)
				}
				continue
			}
			if err := checkValue(f, name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// firstField is the field a missing item of a struct list is named by: its
// DomainName, else its first required field, else its first field.
func firstField(prm *catalog.Param) *catalog.Param {
	for _, f := range prm.Fields {
		if f.Wire == "DomainName" {
			return f
		}
	}
	for _, f := range prm.Fields {
		if f.Required {
			return f
		}
	}
	return prm.Fields[0]
}

// checkJSONList checks a list sent as one JSON array: it must parse as an
// array, of at most MaxItems, whose objects have their required fields.
func checkJSONList(prm *catalog.Param, p params) *gatewayError {
	v, ok := p[prm.Wire]
	if !ok || v == "" {
		if prm.Required {
			return errMissing(prm.Wire)
		}
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal([]byte(v), &items); err != nil || items == nil {
		return errInvalid(prm.Wire)
	}
	if prm.MaxItems > 0 && len(items) > prm.MaxItems {
		return errTooMany(prm.Wire, prm.MaxItems)
	}
	if len(prm.Fields) == 0 {
		return nil
	}
	for i, raw := range items {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			return errInvalid(prm.Wire)
		}
		for _, f := range prm.Fields {
			fv, ok := obj[f.Wire]
			if (!ok || string(fv) == "null" || string(fv) == `""`) && f.Required {
				return errMissing(fmt.Sprintf("%s.%d.%s", prm.Wire, i+1, f.Wire))
			}
		}
	}
	return nil
}
