package alidomaintest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	formatJSON = "JSON"
	formatXML  = "XML"

	xmlHeader = "<?xml version='1.0' encoding='UTF-8'?>"
)

// formatOf maps the Format parameter to the response format: XML (any case)
// or JSON for anything else.
func formatOf(v string) string {
	if strings.EqualFold(v, formatXML) {
		return formatXML
	}
	return formatJSON
}

// validFormat reports whether the gateway accepts v as Format: JSON or XML
// in any case, or none.
func validFormat(v string) bool {
	return v == "" || strings.EqualFold(v, formatJSON) || strings.EqualFold(v, formatXML)
}

func contentType(format string) string {
	if format == formatXML {
		return "text/xml;charset=utf-8"
	}
	return "application/json;charset=utf-8"
}

// result is what an action (or the gateway) answers.
type result struct {
	status  int
	body    any
	isError bool
}

// errorBody is the gateway's error document.
type errorBody struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	HostID    string `json:"HostId" xml:"HostId"`
	Code      string `json:"Code" xml:"Code"`
	Message   string `json:"Message" xml:"Message"`
	Recommend string `json:"Recommend" xml:"Recommend"`
}

// render encodes res in format; the XML root is <Error> for errors and
// <ActionResponse> otherwise.
func render(format, action string, res result) (string, []byte) {
	if format == formatXML {
		root := "Error"
		if !res.isError {
			root = action + "Response"
		}
		var buf bytes.Buffer
		buf.WriteString(xmlHeader)
		if err := xml.NewEncoder(&buf).EncodeElement(res.body, xml.StartElement{Name: xml.Name{Local: root}}); err != nil {
			panic(fmt.Sprintf("alidomaintest: encoding XML: %v", err))
		}
		return contentType(format), buf.Bytes()
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(res.body); err != nil {
		panic(fmt.Sprintf("alidomaintest: encoding JSON: %v", err))
	}
	return contentType(format), bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func writeResult(w http.ResponseWriter, reqID, format, action string, res result) {
	ctype, body := render(format, action, res)
	writeRaw(w, reqID, res.status, ctype, body)
}

func writeRaw(w http.ResponseWriter, reqID string, status int, ctype string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Acs-Request-Id", reqID)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeTruncated sends a 200 whose Content-Length is the full body's, half of
// the body, and closes the connection.
func writeTruncated(w http.ResponseWriter, reqID, ctype string, body []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("alidomaintest: connection cannot be hijacked")
	}
	conn, rw, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if len(body) < 2 {
		body = []byte(`{}`)
	}
	fmt.Fprintf(rw, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nX-Acs-Request-Id: %s\r\nDate: %s\r\n\r\n",
		ctype, len(body), reqID, time.Now().UTC().Format(http.TimeFormat))
	_, _ = rw.Write(body[:len(body)/2])
	_ = rw.Flush()
}

// writeHuge streams exactly n bytes of a JSON document that never closes.
func (s *Server) writeHuge(w http.ResponseWriter, r *http.Request, reqID string, n int64) {
	h := w.Header()
	h.Set("Content-Type", contentType(formatJSON))
	h.Set("X-Acs-Request-Id", reqID)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	prefix := `{"RequestId":"` + reqID + `","TotalItemNum":1,"CurrentPageNum":1,"Data":{"Domain":[`
	item := `{"DomainName":"example.com","DomainStatus":"2","Premium":false},`
	ctx := r.Context()
	write := func(p string) bool {
		if int64(len(p)) > n {
			p = p[:n]
		}
		if _, err := bw.WriteString(p); err != nil {
			return false
		}
		n -= int64(len(p))
		return true
	}
	if !write(prefix) {
		abort()
	}
	for i := 0; n > 0; i++ {
		if i%256 == 0 {
			select {
			case <-ctx.Done():
				abort()
			case <-s.closed:
				abort()
			default:
			}
		}
		if !write(item) {
			abort()
		}
	}
	_ = bw.Flush()
}

// writeSlow sends body one byte every perByte.
func (s *Server) writeSlow(w http.ResponseWriter, r *http.Request, reqID string, status int, ctype string, body []byte, perByte time.Duration) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Acs-Request-Id", reqID)
	w.WriteHeader(status)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	for i := range body {
		if i > 0 && !s.wait(r, perByte) {
			abort()
		}
		if _, err := w.Write(body[i : i+1]); err != nil {
			abort()
		}
		if err := rc.Flush(); err != nil {
			abort()
		}
	}
}
