package wire

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

type lenientItem struct {
	Name string `json:"Name"`
	N    int32  `json:"N"`
}

type lenientAnswer struct {
	Text  string        `json:"Text"`
	Count int64         `json:"Count"`
	Small int8          `json:"Small"`
	Price float64       `json:"Price"`
	OK    bool          `json:"OK"`
	Items []lenientItem `json:"Items"`
	Tags  []string      `json:"Tags"`
	Any   any           `json:"Any"`
}

func TestDecodeLenientJSON(t *testing.T) {
	var got lenientAnswer
	body := `{"Text":12,"Count":"1700000000000","Small":"-7","Price":"16.5","OK":"true",` +
		`"Items":{"Name":"a","N":"3"},"Tags":"one","Any":2}`
	if err := DecodeLenientJSON([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	want := lenientAnswer{Text: "12", Count: 1700000000000, Small: -7, Price: 16.5, OK: true,
		Items: []lenientItem{{Name: "a", N: 3}}, Tags: []string{"one"}, Any: 2.0}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for body, field := range map[string]string{
		`{"Count":"x","Text":"y"}`:     "Count",
		`{"Small":"300","Text":1}`:     "Small",
		`{"OK":"maybe","Text":1}`:      "OK",
		`{"Price":"NaN","Text":1}`:     "Price",
		`{"Items":[{"N":"z"}],"OK":1}`: "Items[0].N",
	} {
		err := DecodeLenientJSON([]byte(body), &got)
		if err == nil || !strings.HasPrefix(err.Error(), field+":") {
			t.Errorf("%s: err %v, want one naming %s", body, err, field)
		}
	}
}

// FuzzDecodeLenientJSON: any answer body decodes without a panic, and one
// that encoding/json accepts decodes to exactly what encoding/json gives.
func FuzzDecodeLenientJSON(f *testing.F) {
	for _, s := range []string{`{"Text":"a","Count":1,"Items":[{"Name":"x","N":2}]}`,
		`{"Text":12,"Count":"3","OK":"1","Items":{"N":"4"},"Tags":"t"}`, `{"Price":"1e3"}`, `[]`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var strict, lenient lenientAnswer
		strictErr := json.Unmarshal(b, &strict)
		err := DecodeLenientJSON(b, &lenient)
		if strictErr == nil && (err != nil || !reflect.DeepEqual(strict, lenient)) {
			t.Fatalf("%q: encoding/json gives %+v, lenient %+v (%v)", b, strict, lenient, err)
		}
	})
}
