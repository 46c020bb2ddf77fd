package alidomain

import (
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/wire"
)

// Fuzz targets for the decoders of the list responses (QueryDomainList,
// QueryTaskDetailList, QueryTaskList) in JSON and XML, and for the
// agreement of the JSON and XML decoders. The error decoder and the submit
// decoder are fuzzed in fuzz_test.go.

// listSeeds are bodies shaped like the service's and the simulator's, and
// like the odd shapes wire.DecodeListJSON tolerates, in both formats.
var listSeeds = []string{
	``,
	`null`,
	`{}`,
	`{"RequestId":"R","Data":null}`,
	`{"RequestId":"R","Data":""}`,
	`{"RequestId":"R","Data":[]}`,
	`{"RequestId":"R","Data":{}}`,
	`{"RequestId":"R","TotalItemNum":"2","CurrentPageNum":1,"TotalPageNum":"1","PageSize":20,"NextPage":"false"}`,
	`<?xml version='1.0' encoding='UTF-8'?><R><RequestId>R</RequestId><Data></Data></R>`,
	`<R><TotalPageNum>x</TotalPageNum></R>`,
	"{\"Data\":{\"TaskDetail\":{\"DomainName\":\" \"}}}",
	`{"Data":{"Domain":{"DomainName":"a.com","ExpirationDateLong":9223372036854775807}}}`,
	`{"Data":{"Domain":[{"DomainName":"a.com","ExpirationDateLong":-62135596800000}]}}`,
	// An empty list answered without Data, and totals without items.
	`{"RequestId":"R","TotalItemNum":0,"CurrentPageNum":1,"TotalPageNum":0,"PageSize":20}`,
	`{"RequestId":"R","TotalItemNum":5,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20}`,
	`{"RequestId":"R","TotalItemNum":"5","CurrentPageNum":"1","TotalPageNum":"1","PageSize":"20","Data":{}}`,
	`{"RequestId":"R","TotalItemNum":30,"CurrentPageNum":3,"TotalPageNum":2,"PageSize":20,"Data":[]}`,
	`{"RequestId":"R","TotalItemNum":45,"CurrentPageNum":3,"TotalPageNum":0,"PageSize":20,"Data":null}`,
	`<R><RequestId>R</RequestId><TotalItemNum>0</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>0</TotalPageNum><PageSize>20</PageSize></R>`,
	`<R><TotalItemNum>7</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>1</TotalPageNum><PageSize>20</PageSize><Data/></R>`,
}

var taskDetailSeeds = []string{
	`{"RequestId":"R","TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"PrePage":false,"NextPage":false,"Data":{"TaskDetail":[{"TaskNo":"T","TaskDetailNo":"100000001","TaskType":"ORDER_REDEEM","TaskTypeDescription":"Redeem","InstanceId":"S1","DomainName":"example.com","TaskStatus":"EXECUTE_SUCCESS","TaskStatusCode":2,"TryCount":1,"ErrorMsg":"The operation is successful.","FailReason":"","TaskResult":"","CreateTime":"2024-03-10 12:00:00","UpdateTime":"2024-03-10 12:00:01"}]}}`,
	`{"Data":{"TaskDetail":{"DomainName":"one.com","TaskStatus":"EXECUTING","TaskStatusCode":""}}}`,
	`{"Data":[{"DomainName":"direct.com","TaskStatusCode":"3","TryCount":"2","CreateTime":1710000000000}]}`,
	`{"Data":{"taskdetail":[{"DomainName":"case.com","TaskStatusCode":null,"TaskStatus":"waiting_execute"}]}}`,
	`{"Data":{"TaskDetail":[{"TaskDetailNo":"no-domain"}]}}`,
	`<?xml version='1.0' encoding='UTF-8'?><QueryTaskDetailListResponse><RequestId>R</RequestId><TotalItemNum>2</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>1</TotalPageNum><PageSize>20</PageSize><NextPage>false</NextPage><Data><TaskDetail><TaskNo>T</TaskNo><DomainName>a.com</DomainName><TaskStatusCode>2</TaskStatusCode><CreateTime>2024-03-10 12:00:00</CreateTime></TaskDetail><TaskDetail><TaskNo>T</TaskNo><DomainName>b.com</DomainName><TaskStatus>EXECUTE_FAILURE</TaskStatus><FailReason>x</FailReason></TaskDetail></Data></QueryTaskDetailListResponse>`,
	`<R><Data><TaskDetail><DomainName> </DomainName></TaskDetail></Data></R>`,
	`<R><Data><TaskDetail><DomainName>a.com</DomainName><TaskStatusCode>99</TaskStatusCode><UpdateTime>Jan 2,2006 15:04:05</UpdateTime></TaskDetail></Data></R>`,
}

var taskListSeeds = []string{
	`{"RequestId":"R","TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"TaskInfo":[{"TaskNo":"T","TaskType":"ORDER_REDEEM","TaskTypeDescription":"Redeem","TaskStatus":"COMPLETE","TaskStatusCode":2,"TaskNum":3,"CreateTime":"2024-03-10 12:00:00","TaskCancelStatus":"NOT_CANCEL","TaskCancelStatusCode":0,"Clientip":"127.0.0.1"}]}}`,
	`{"Data":{"TaskInfo":{"TaskNo":12,"TaskStatus":"","TaskStatusCode":"1"}}}`,
	`{"Data":{"TaskInfo":[{"TaskNo":""}]}}`,
	`<R><Data><TaskInfo><TaskNo>T</TaskNo><TaskStatus>EXECUTING</TaskStatus><TaskNum>2</TaskNum><CreateTime>2024-03-10T12:00:00+08:00</CreateTime></TaskInfo></Data></R>`,
}

var domainListSeeds = []string{
	`{"RequestId":"R","TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[{"DomainName":"example.com","InstanceId":"S1","ExpirationDate":"2026-05-04 11:02:01","ExpirationDateLong":1777863721000,"RegistrationDate":"2025-05-04 11:02:01","RegistrationDateLong":1746327721000,"DomainType":"gTLD","DomainStatus":"2","ProductId":"2","Premium":false,"ExpirationCurrDateDiff":-3,"Remark":""}]}}`,
	`{"Data":{"Domain":{"DomainName":"one.com","ExpirationDate":"2026-05-04 11:02:01","DomainStatus":2,"Premium":"true"}}}`,
	`{"Data":{"Domain":[{"DomainName":"","ExpirationDateLong":1}]}}`,
	`{"Data":{"Domain":[{"DomainName":"bad-date.com","ExpirationDate":"yesterday"}]}}`,
	`{"Data":{"Domain":[{"DomainName":"float.com","ExpirationDateLong":1.777863721e12}]}}`,
	`<?xml version='1.0' encoding='UTF-8'?><QueryDomainListResponse><RequestId>R</RequestId><Data><Domain><DomainName>example.com</DomainName><ExpirationDateLong>1777863721000</ExpirationDateLong><DomainStatus>2</DomainStatus><Premium>1</Premium></Domain></Data></QueryDomainListResponse>`,
	`<R><Data><Domain><DomainName>x.com</DomainName><ExpirationDate>2026-05-04</ExpirationDate></Domain></Data></R>`,
	// Expiration dates that are missing or sentinels, and registration dates before 1985.
	`{"TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[{"DomainName":"nodate.com"}]}}`,
	`{"TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[{"DomainName":"m1.com","ExpirationDateLong":-1,"ExpirationDate":"2027-01-01 00:00:00"}]}}`,
	`{"TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[{"DomainName":"old.com","ExpirationDate":"1999-12-31 23:59:59"}]}}`,
	`{"TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[{"DomainName":"reg.com","ExpirationDateLong":1777863721000,"RegistrationDateLong":"-1"}]}}`,
	`<R><TotalItemNum>1</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>1</TotalPageNum><PageSize>20</PageSize><Data><Domain><DomainName>x.com</DomainName><ExpirationDateLong>0</ExpirationDateLong><ExpirationDate></ExpirationDate></Domain></Data></R>`,
}

func addSeeds(f *testing.F, groups ...[]string) {
	for _, g := range groups {
		for _, s := range g {
			f.Add([]byte(s))
		}
	}
}

// checkPage checks the paging fields' conversion.
func checkPage(t *testing.T, w *wirePage) {
	p := w.page()
	if w.NextPage == nil && p.HasNext != (p.PageNum > 0 && p.PageNum < p.TotalPages) {
		t.Fatalf("HasNext %v for page %d of %d without NextPage", p.HasNext, p.PageNum, p.TotalPages)
	}
	if w.NextPage != nil && p.HasNext != bool(*w.NextPage) {
		t.Fatalf("HasNext %v, NextPage %v", p.HasNext, *w.NextPage)
	}
}

// checkEmptyVerdict checks an accepted page's items against its total: a
// page without Data is accepted only as the empty list (TotalItemNum 0),
// and a page without items and a non-zero total only beyond the last page.
// It reports whether the page has Data to look at.
func checkEmptyVerdict(t *testing.T, w *wirePage, hasData bool, items int) bool {
	if !hasData && (w.TotalItemNum.V != 0 || items != 0) {
		t.Fatalf("accepted a page without Data: TotalItemNum %d, %d items", w.TotalItemNum.V, items)
	}
	if items == 0 && w.TotalItemNum.V != 0 && w.withinList() {
		t.Fatalf("accepted page %d of %d without items, TotalItemNum %d", w.CurrentPageNum.V, w.TotalPageNum.V, w.TotalItemNum.V)
	}
	return hasData
}

// checkUTC checks that a decoded time is zero or in UTC.
func checkUTC(t *testing.T, what string, tm time.Time) {
	if !tm.IsZero() && tm.Location() != time.UTC {
		t.Fatalf("%s %v is not in UTC", what, tm)
	}
}

// FuzzDecodeTaskDetailList: QueryTaskDetailList bodies, JSON or XML. No
// panic; when the body is accepted, every detail names its domain, and its
// status is the code sent or, without one, a known state.
func FuzzDecodeTaskDetailList(f *testing.F) {
	addSeeds(f, listSeeds, taskDetailSeeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		var out taskDetailListResponse
		if sniffDecode(body, &out) != nil {
			return
		}
		checkPage(t, &out.wirePage)
		if out.convert() != nil {
			return
		}
		if !checkEmptyVerdict(t, &out.wirePage, out.Data != nil, len(out.items)) {
			return
		}
		for i := range out.Data.items {
			w := &out.Data.items[i]
			d := w.detail()
			if strings.TrimSpace(d.DomainName) == "" || d.DomainName != string(w.DomainName) {
				t.Fatalf("accepted detail %d with DomainName %q (wire %q)", i, d.DomainName, w.DomainName)
			}
			switch {
			case w.TaskStatusCode.OK && d.Status != TaskStatus(w.TaskStatusCode.V):
				t.Fatalf("detail %d: Status %d, TaskStatusCode %d", i, d.Status, w.TaskStatusCode.V)
			case !w.TaskStatusCode.OK && (d.Status < TaskWaiting || d.Status > TaskFailed):
				t.Fatalf("detail %d: Status %d without a TaskStatusCode", i, d.Status)
			}
			checkUTC(t, "CreateTime", d.CreateTime)
			checkUTC(t, "UpdateTime", d.UpdateTime)
			_ = d.Status.String()
		}
		_ = countDetails(nil)
	})
}

// FuzzDecodeTaskList: QueryTaskList bodies, JSON or XML. When the body is
// accepted, every task has a TaskNo, and its status comes from a known
// TaskStatus text, else from TaskStatusCode.
func FuzzDecodeTaskList(f *testing.F) {
	addSeeds(f, listSeeds, taskListSeeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		var out taskListResponse
		if sniffDecode(body, &out) != nil {
			return
		}
		checkPage(t, &out.wirePage)
		if out.convert() != nil {
			return
		}
		if !checkEmptyVerdict(t, &out.wirePage, out.Data != nil, len(out.items)) {
			return
		}
		for i := range out.Data.items {
			w := &out.Data.items[i]
			info := w.info()
			if strings.TrimSpace(info.TaskNo) == "" {
				t.Fatalf("accepted task %d without TaskNo", i)
			}
			st, known := taskStatusNames[strings.ToUpper(strings.TrimSpace(string(w.TaskStatus)))]
			if !known {
				st = TaskStatus(w.TaskStatusCode)
			}
			if info.Status != st {
				t.Fatalf("task %d: Status %d, want %d (TaskStatus %q, code %d)", i, info.Status, st, w.TaskStatus, w.TaskStatusCode)
			}
			checkUTC(t, "CreateTime", info.CreateTime)
		}
	})
}

// FuzzDecodeDomainList: QueryDomainList bodies, JSON or XML. When the body
// is accepted, every domain has a name and a UTC expiration date, and the
// date a redemption order would quote is exactly the ExpirationDateLong the
// service sent.
func FuzzDecodeDomainList(f *testing.F) {
	addSeeds(f, listSeeds, domainListSeeds)
	f.Fuzz(func(t *testing.T, body []byte) {
		var out domainListResponse
		if sniffDecode(body, &out) != nil {
			return
		}
		checkPage(t, &out.wirePage)
		if out.convert() != nil {
			return
		}
		if !checkEmptyVerdict(t, &out.wirePage, out.Data != nil, len(out.items)) {
			return
		}
		if len(out.items) != len(out.Data.items) {
			t.Fatalf("%d items from %d domains", len(out.items), len(out.Data.items))
		}
		for i, d := range out.items {
			w := out.Data.items[i]
			if d.DomainName == "" || d.DomainName != w.DomainName {
				t.Fatalf("accepted domain %d named %q (wire %q)", i, d.DomainName, w.DomainName)
			}
			checkUTC(t, "ExpirationDate", d.ExpirationDate)
			checkUTC(t, "RegistrationDate", d.RegistrationDate)
			if d.ExpirationDate.Before(minExpirationDate) {
				t.Fatalf("domain %s: accepted ExpirationDate %v", d.DomainName, d.ExpirationDate)
			}
			if !d.RegistrationDate.IsZero() && d.RegistrationDate.Before(minRegistrationDate) {
				t.Fatalf("domain %s: accepted RegistrationDate %v", d.DomainName, d.RegistrationDate)
			}
			if ms := int64(w.ExpirationDateLong); ms != 0 {
				if got := d.RedeemDomain().CurrentExpirationDate.UnixMilli(); got != ms {
					t.Fatalf("domain %s: ExpirationDateLong %d, a redemption would quote %d", d.DomainName, ms, got)
				}
			}
			_ = d.DomainStatus.String()
		}
	})
}

// xmlSafe reports whether s survives an XML round trip unchanged: valid
// UTF-8 made of characters XML 1.0 allows.
func xmlSafe(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
		for _, r := range s {
			if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
				r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
				return false
			}
		}
	}
	return true
}

// fuzzDetail and fuzzDomain render list items the way the service does, in
// both formats.
type fuzzDetail struct {
	TaskNo         string `json:"TaskNo" xml:"TaskNo"`
	DomainName     string `json:"DomainName" xml:"DomainName"`
	TaskStatus     string `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode int    `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TryCount       int    `json:"TryCount" xml:"TryCount"`
	ErrorMsg       string `json:"ErrorMsg" xml:"ErrorMsg"`
	CreateTime     string `json:"CreateTime" xml:"CreateTime"`
}

type fuzzDomain struct {
	DomainName         string `json:"DomainName" xml:"DomainName"`
	ExpirationDate     string `json:"ExpirationDate" xml:"ExpirationDate"`
	ExpirationDateLong int64  `json:"ExpirationDateLong" xml:"ExpirationDateLong"`
	DomainStatus       string `json:"DomainStatus" xml:"DomainStatus"`
	Premium            bool   `json:"Premium" xml:"Premium"`
	Remark             string `json:"Remark" xml:"Remark"`
}

type fuzzListBody struct {
	XMLName        xml.Name `json:"-" xml:"ListResponse"`
	RequestID      string   `json:"RequestId" xml:"RequestId"`
	TotalItemNum   int      `json:"TotalItemNum" xml:"TotalItemNum"`
	CurrentPageNum int      `json:"CurrentPageNum" xml:"CurrentPageNum"`
	TotalPageNum   int      `json:"TotalPageNum" xml:"TotalPageNum"`
	PageSize       int      `json:"PageSize" xml:"PageSize"`
	Data           struct {
		TaskDetail []fuzzDetail `json:"TaskDetail,omitempty" xml:"TaskDetail"`
		Domain     []fuzzDomain `json:"Domain,omitempty" xml:"Domain"`
	} `json:"Data" xml:"Data"`
}

// encodeBoth renders b as JSON and as XML.
func encodeBoth(t *testing.T, b *fuzzListBody) (js, xm []byte) {
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	xm, err = xml.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return js, append([]byte(xml.Header), xm...)
}

// FuzzListJSONXMLAgree: the same list, rendered as JSON and as XML, decodes
// to the same items, the same page and the same verdict of check, whatever
// the field values.
func FuzzListJSONXMLAgree(f *testing.F) {
	f.Add("T-1", "example.com", "EXECUTE_SUCCESS", 2, 1, "The operation is successful.", "2024-03-10 12:00:00", "2026-05-04 11:02:01", int64(1777863721000), "2", true, 1, 1)
	f.Add("", " ", "", 0, 0, "", "", "", int64(0), "", false, 0, 0)
	f.Add("12", "例子.中国", "waiting_execute", -1, 7, "a\tb\r\nc & <d>", "1710000000000", "Jan 2,2006 15:04:05", int64(-1), "x", false, 3, 2)
	f.Add("T", "a.com", "", 99, 0, "", "not a date", "2026-05-04", int64(0), "3", true, 2, 5)
	f.Fuzz(func(t *testing.T, taskNo, domain, status string, code, tries int, msg, created, expDate string, expMS int64, domStatus string, premium bool, page, pages int) {
		if !xmlSafe(taskNo, domain, status, msg, created, expDate, domStatus) {
			return
		}
		b := &fuzzListBody{RequestID: "R", TotalItemNum: 1, CurrentPageNum: page, TotalPageNum: pages, PageSize: 20}
		b.Data.TaskDetail = []fuzzDetail{{taskNo, domain, status, code, tries, msg, created}}
		b.Data.Domain = []fuzzDomain{{domain, expDate, expMS, domStatus, premium, msg}}
		js, xm := encodeBoth(t, b)

		var dj, dx taskDetailListResponse
		ej, ex := wire.DecodeBody(js, false, &dj), wire.DecodeBody(xm, true, &dx)
		if (ej == nil) != (ex == nil) {
			t.Fatalf("task details: JSON error %v, XML error %v\nJSON %s\nXML %s", ej, ex, js, xm)
		}
		if ej == nil {
			if (dj.convert() == nil) != (dx.convert() == nil) {
				t.Fatalf("task details: check %v (JSON) vs %v (XML)", dj.convert(), dx.convert())
			}
			if !reflect.DeepEqual(dj.page(), dx.page()) {
				t.Fatalf("page %+v (JSON) vs %+v (XML)", dj.page(), dx.page())
			}
			if len(dj.Data.items) != 1 || len(dx.Data.items) != 1 {
				t.Fatalf("%d details (JSON), %d (XML), want 1", len(dj.Data.items), len(dx.Data.items))
			}
			if a, b := dj.Data.items[0].detail(), dx.Data.items[0].detail(); !reflect.DeepEqual(a, b) {
				t.Fatalf("detail %+v (JSON) vs %+v (XML)", a, b)
			}
		}

		var mj, mx domainListResponse
		ej, ex = wire.DecodeBody(js, false, &mj), wire.DecodeBody(xm, true, &mx)
		if (ej == nil) != (ex == nil) {
			t.Fatalf("domains: JSON error %v, XML error %v\nJSON %s\nXML %s", ej, ex, js, xm)
		}
		if ej != nil {
			return
		}
		cj, cx := mj.convert(), mx.convert()
		if (cj == nil) != (cx == nil) {
			t.Fatalf("domains: check %v (JSON) vs %v (XML)", cj, cx)
		}
		if cj == nil && !reflect.DeepEqual(mj.items, mx.items) {
			t.Fatalf("domains %+v (JSON) vs %+v (XML)", mj.items, mx.items)
		}
	})
}

// FuzzAPIErrorJSONXMLAgree: the same error document in JSON and in XML
// gives the same *APIError.
func FuzzAPIErrorJSONXMLAgree(f *testing.F) {
	f.Add(400, "Throttling.User", "Request was denied due to user flow control.", "R-1", "domain.aliyuncs.com")
	f.Add(400, "SignatureDoesNotMatch", "server string to sign is:POST&%2F&A%3D1", "R-2", "")
	f.Add(503, "", "", "", "")
	f.Add(500, " ", "\r\n", "R", "h")
	f.Fuzz(func(t *testing.T, status int, code, message, requestID, hostID string) {
		if !xmlSafe(code, message, requestID, hostID) {
			return
		}
		doc := struct {
			XMLName   xml.Name `json:"-" xml:"Error"`
			RequestID string   `json:"RequestId" xml:"RequestId"`
			HostID    string   `json:"HostId" xml:"HostId"`
			Code      string   `json:"Code" xml:"Code"`
			Message   string   `json:"Message" xml:"Message"`
		}{RequestID: requestID, HostID: hostID, Code: code, Message: message}
		js, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		xm, err := xml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		ej := parseAPIError("A", status, js)
		ex := parseAPIError("A", status, append([]byte(xml.Header), xm...))
		if ej.Code != ex.Code || ej.HTTPStatus != ex.HTTPStatus || ej.Code == "" != (code == "") {
			t.Fatalf("JSON %+v, XML %+v", ej, ex)
		}
		if code != "" && (ej.Message != ex.Message || ej.RequestID != ex.RequestID || ej.HostID != ex.HostID ||
			ej.Message != boundField((*scrubber)(nil).scrub(message)) || ej.RequestID != boundField((*scrubber)(nil).scrub(requestID))) {
			t.Fatalf("JSON %+v, XML %+v, sent code %q message %q request %q", ej, ex, code, message, requestID)
		}
		if ej.Is(ErrThrottled) != ex.Is(ErrThrottled) || ej.Is(ErrAuth) != ex.Is(ErrAuth) {
			t.Fatalf("classification differs: JSON %+v, XML %+v", ej, ex)
		}
	})
}

// The list responses under the names these tests were written with.
type (
	taskDetailListResponse = listResponse[wireTaskDetail, TaskDetail]
	taskListResponse       = listResponse[wireTaskInfo, TaskInfo]
	domainListResponse     = listResponse[wireDomain, Domain]
)

// sniffDecode decodes body as a client that asked for XML would: as XML
// when it starts with '<', else as JSON.
func sniffDecode(body []byte, out any) error { return wire.DecodeBody(body, true, out) }
