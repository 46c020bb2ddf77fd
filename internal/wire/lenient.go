package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// DecodeLenientJSON decodes b into v as encoding/json does; where the
// service sends a value of another JSON type than the field's (a number or
// a boolean as text, a number where text is expected, one item instead of
// a list), it converts it instead of failing the whole answer. Scalars are
// parsed as the Flex types parse them, so every answer accepts the same.
func DecodeLenientJSON(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	var te *json.UnmarshalTypeError
	if err == nil || !errors.As(err, &te) {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var raw any
	if err := d.Decode(&raw); err != nil {
		return err
	}
	rv := reflect.ValueOf(v).Elem()
	rv.SetZero()
	return assignLenient(rv, raw, "")
}

// assignLenient sets v from the decoded JSON value x, converting scalars
// between text, numbers and booleans; path names the field in errors.
func assignLenient(v reflect.Value, x any, path string) error {
	if x == nil {
		return nil
	}
	bad := func() error { return fmt.Errorf("%s: cannot use %T as %s", strings.TrimPrefix(path, "."), x, v.Type()) }
	switch v.Kind() {
	case reflect.Struct:
		m, ok := x.(map[string]any)
		if !ok {
			if s, isText := x.(string); isText && s == "" {
				return nil // an empty object sent as ""
			}
			return bad()
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			val, ok := m[name]
			if !ok {
				for k, kv := range m {
					if strings.EqualFold(k, name) {
						val, ok = kv, true
						break
					}
				}
			}
			if ok {
				if err := assignLenient(v.Field(i), val, path+"."+name); err != nil {
					return err
				}
			}
		}
	case reflect.Slice:
		arr, ok := x.([]any)
		if !ok {
			if s, isText := x.(string); isText && s == "" {
				return nil
			}
			arr = []any{x} // one item sent without its list
		}
		s := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i := range arr {
			if err := assignLenient(s.Index(i), arr[i], path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		v.Set(s)
	case reflect.Interface:
		if n, ok := x.(json.Number); ok {
			f, _ := n.Float64()
			x = f
		}
		v.Set(reflect.ValueOf(x))
	case reflect.String:
		if b, ok := x.(bool); ok {
			v.SetString(strconv.FormatBool(b))
			return nil
		}
		s, ok := scalarText(x)
		if !ok {
			return bad()
		}
		v.SetString(s)
	case reflect.Bool:
		if b, ok := x.(bool); ok {
			v.SetBool(b)
			return nil
		}
		s, ok := scalarText(x)
		if !ok {
			return bad()
		}
		b, err := parseFlexBool(s)
		if err != nil {
			return bad()
		}
		v.SetBool(bool(b))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s, ok := scalarText(x)
		if !ok {
			return bad()
		}
		n, err := parseFlexInt(s)
		if err != nil || v.OverflowInt(int64(n)) {
			return bad()
		}
		v.SetInt(int64(n))
	case reflect.Float32, reflect.Float64:
		s, ok := scalarText(x)
		if !ok {
			return bad()
		}
		f, err := parseFlexFloat(s)
		if err != nil {
			return bad()
		}
		v.SetFloat(float64(f))
	default:
		return bad()
	}
	return nil
}

// scalarText is the text of a JSON string or number; false for anything
// else.
func scalarText(x any) (string, bool) {
	switch t := x.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	}
	return "", false
}
