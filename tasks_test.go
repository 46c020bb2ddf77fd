package alidomain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// detailJSON renders one task detail of task taskNo for domain name in
// state st (its code and text).
func detailJSON(taskNo, name string, st TaskStatus) string {
	text := [...]string{"WAITING_EXECUTE", "EXECUTING", "EXECUTE_SUCCESS", "EXECUTE_FAILURE"}[st]
	msg := ""
	if st == TaskFailed {
		msg = "insufficient balance"
	}
	return fmt.Sprintf(`{"TaskNo":%q,"TaskDetailNo":"%s-%s","TaskType":"ORDER_REDEEM","TaskTypeDescription":"Redeem","InstanceId":"S-%s","DomainName":%q,`+
		`"TaskStatus":%q,"TaskStatusCode":%d,"TryCount":1,"ErrorMsg":%q,"FailReason":%q,"CreateTime":"2024-03-05 10:04:05","UpdateTime":"2024-03-05 10:05:00"}`,
		taskNo, taskNo, name, name, name, text, int(st), msg, msg)
}

// detailsPage renders a one-page QueryTaskDetailList answer.
func detailsPage(details ...string) string {
	return fmt.Sprintf(`{"RequestId":"R-TD","TotalItemNum":%d,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":1000,"PrePage":false,"NextPage":false,"Data":{"TaskDetail":[%s]}}`,
		len(details), strings.Join(details, ","))
}

const taskDetailJSON = `{"RequestId":"R-T","TotalItemNum":"3","CurrentPageNum":"1","TotalPageNum":"1","PageSize":"20","PrePage":"false","NextPage":"false",
"Data":{"TaskDetail":[
 {"TaskNo":"T1","TaskDetailNo":"TD1","TaskType":"ORDER_REDEEM","TaskTypeDescription":"Redeem","InstanceId":"S1","DomainName":"a.com",
  "TaskStatus":"EXECUTE_SUCCESS","TaskStatusCode":"2","TryCount":"1","ErrorMsg":"success","FailReason":"","TaskResult":"done",
  "CreateTime":"2024-03-05 10:04:05","UpdateTime":1709604305000},
 {"TaskNo":"T1","TaskDetailNo":"TD2","TaskType":"ORDER_REDEEM","InstanceId":"S2","DomainName":"b.com",
  "TaskStatus":"EXECUTE_FAILURE","TaskStatusCode":3,"TryCount":2,"ErrorMsg":"insufficient balance","FailReason":"balance",
  "CreateTime":"1709604245000","UpdateTime":"2024-03-05 10:05:06"},
 {"TaskNo":"T1","TaskDetailNo":"TD3","DomainName":"c.com","TaskStatus":"EXECUTING","TaskStatusCode":"","CreateTime":"","UpdateTime":null}
]}}`

var wantTaskDetails = []TaskDetail{
	{
		TaskNo: "T1", TaskDetailNo: "TD1", DomainName: "a.com", InstanceID: "S1",
		TaskType: "ORDER_REDEEM", TaskTypeDescription: "Redeem", TaskResult: "done",
		ErrorMsg: "success", Status: TaskSucceeded, TryCount: 1,
		CreateTime: time.Date(2024, 3, 5, 2, 4, 5, 0, time.UTC),
		UpdateTime: time.Date(2024, 3, 5, 2, 5, 5, 0, time.UTC),
	},
	{
		TaskNo: "T1", TaskDetailNo: "TD2", DomainName: "b.com", InstanceID: "S2",
		TaskType: "ORDER_REDEEM", ErrorMsg: "insufficient balance", FailReason: "balance",
		Status: TaskFailed, TryCount: 2,
		CreateTime: time.Date(2024, 3, 5, 2, 4, 5, 0, time.UTC),
		UpdateTime: time.Date(2024, 3, 5, 2, 5, 6, 0, time.UTC),
	},
	// No status code: read from the text.
	{TaskNo: "T1", TaskDetailNo: "TD3", DomainName: "c.com", Status: TaskExecuting},
}

func TestTaskListDetailsParams(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskDetailList", 200, taskDetailJSON)
	st := TaskWaiting
	req := &ListTaskDetailsRequest{TaskNo: "T 1", DomainName: "a.com", InstanceID: "S1", Status: &st, PageNum: 3, PageSize: 1000}
	orig := *req
	_, err := c.Tasks.ListDetails(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, orig, *req)
	_, err = c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T2"})
	require.NoError(t, err)
	failedSt := TaskFailed
	_, err = c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T3", Status: &failedSt})
	require.NoError(t, err)

	reqs := ts.requests()
	require.Len(t, reqs, 3)
	assertParams(t, commonParams("QueryTaskDetailList", map[string]string{
		"TaskNo": "T 1", "DomainName": "a.com", "InstanceId": "S1", "TaskStatus": "0", "PageNum": "3", "PageSize": "1000",
	}), reqs[0].Query)
	assertParams(t, commonParams("QueryTaskDetailList", map[string]string{"TaskNo": "T2", "PageNum": "1", "PageSize": "20"}), reqs[1].Query)
	assertParams(t, commonParams("QueryTaskDetailList", map[string]string{"TaskNo": "T3", "TaskStatus": "3", "PageNum": "1", "PageSize": "20"}), reqs[2].Query)
}

func TestTaskListDetailsDecode(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskDetailList", 200, taskDetailJSON)
	p, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T1"})
	require.NoError(t, err)
	require.Equal(t, "R-T", p.RequestID)
	require.Equal(t, Page{PageNum: 1, PageSize: 20, TotalPages: 1, TotalItems: 3}, p.Page)
	require.Equal(t, wantTaskDetails, p.Items)
}

func TestTaskListDetailsXML(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("QueryTaskDetailList", 200, `<?xml version='1.0' encoding='UTF-8'?><QueryTaskDetailListResponse>
<RequestId>R-T</RequestId><TotalItemNum>3</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>1</TotalPageNum>
<PageSize>20</PageSize><PrePage>false</PrePage><NextPage>false</NextPage>
<Data>
<TaskDetail><TaskNo>T1</TaskNo><TaskDetailNo>TD1</TaskDetailNo><TaskType>ORDER_REDEEM</TaskType><TaskTypeDescription>Redeem</TaskTypeDescription>
<InstanceId>S1</InstanceId><DomainName>a.com</DomainName><TaskStatus>EXECUTE_SUCCESS</TaskStatus><TaskStatusCode>2</TaskStatusCode>
<TryCount>1</TryCount><ErrorMsg>success</ErrorMsg><FailReason></FailReason><TaskResult>done</TaskResult>
<CreateTime>2024-03-05 10:04:05</CreateTime><UpdateTime>1709604305000</UpdateTime></TaskDetail>
<TaskDetail><TaskNo>T1</TaskNo><TaskDetailNo>TD2</TaskDetailNo><TaskType>ORDER_REDEEM</TaskType><InstanceId>S2</InstanceId>
<DomainName>b.com</DomainName><TaskStatus>EXECUTE_FAILURE</TaskStatus><TaskStatusCode>3</TaskStatusCode><TryCount>2</TryCount>
<ErrorMsg>insufficient balance</ErrorMsg><FailReason>balance</FailReason>
<CreateTime>1709604245000</CreateTime><UpdateTime>2024-03-05 10:05:06</UpdateTime></TaskDetail>
<TaskDetail><TaskNo>T1</TaskNo><TaskDetailNo>TD3</TaskDetailNo><DomainName>c.com</DomainName><TaskStatus>EXECUTING</TaskStatus>
<TaskStatusCode></TaskStatusCode><CreateTime></CreateTime></TaskDetail>
</Data></QueryTaskDetailListResponse>`)
	p, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T1"})
	require.NoError(t, err)
	require.Equal(t, "R-T", p.RequestID)
	require.Equal(t, Page{PageNum: 1, PageSize: 20, TotalPages: 1, TotalItems: 3}, p.Page)
	require.Equal(t, wantTaskDetails, p.Items)
}

func TestTaskListDetailsTolerant(t *testing.T) {
	// Without Data and with a non-zero total: an error, never an empty page.
	for _, data := range []string{``, `,"Data":null`} {
		c, ts := setup(t)
		ts.reply("QueryTaskDetailList", 200, `{"RequestId":"R","TotalItemNum":"2","CurrentPageNum":"1","TotalPageNum":"1","PageSize":"1000"`+data+`}`)
		_, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T1"})
		require.ErrorContains(t, err, "no Data", data)
	}
	for _, data := range []string{
		``,
		`,"Data":null`,
		`,"Data":""`,
		`,"Data":{}`,
		`,"Data":{"TaskDetail":{}}`,
		`,"Data":{"TaskDetail":""}`,
		`,"Data":{"TaskDetail":[]}`,
	} {
		c, ts := setup(t)
		ts.reply("QueryTaskDetailList", 200, `{"RequestId":"R","TotalItemNum":"0","CurrentPageNum":"1","TotalPageNum":"0","PageSize":"1000"`+data+`}`)
		p, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T1"})
		require.NoError(t, err, data)
		require.Empty(t, p.Items, data)
		require.Equal(t, Page{PageNum: 1, PageSize: 1000}, p.Page, data)
	}
}

func TestTaskListDetailsWithoutDomainNameFails(t *testing.T) {
	for name, body := range map[string]string{
		"json missing": `{"RequestId":"R-S","Data":{"TaskDetail":[{"TaskNo":"T1","DomainName":"a.com","TaskStatusCode":2},{"TaskNo":"T1","TaskDetailNo":"TD9","TaskStatusCode":2}]}}`,
		"json empty":   `{"RequestId":"R-S","Data":{"TaskDetail":{"TaskNo":"T1","DomainName":"","TaskStatusCode":2}}}`,
		"xml":          `<QueryTaskDetailListResponse><RequestId>R-S</RequestId><Data><TaskDetail><TaskNo>T1</TaskNo><TaskStatusCode>2</TaskStatusCode></TaskDetail></Data></QueryTaskDetailListResponse>`,
		"bad time":     `{"RequestId":"R-S","Data":{"TaskDetail":[{"TaskNo":"T1","DomainName":"a.com","CreateTime":"tomorrow"}]}}`,
	} {
		c, ts := setup(t)
		ts.reply("QueryTaskDetailList", 200, body)
		p, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T1"})
		require.Error(t, err, name)
		require.Nil(t, p, name)
		require.Len(t, ts.requests(), 1, name)

		// Wait stops on it too, rather than polling forever.
		_, err = c.Tasks.Wait(context.Background(), "T1", &WaitOptions{PollInterval: time.Millisecond})
		require.Error(t, err, name)
	}
}

func TestTaskListDetailsValidation(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskDetailList", 200, taskDetailJSON)
	bad, neg := TaskStatus(4), TaskStatus(-1)
	for _, tc := range []struct {
		field string
		req   *ListTaskDetailsRequest
	}{
		{"ListTaskDetailsRequest", nil},
		{"TaskNo", &ListTaskDetailsRequest{}},
		{"TaskNo", &ListTaskDetailsRequest{TaskNo: "  "}},
		{"PageSize", &ListTaskDetailsRequest{TaskNo: "T1", PageSize: 1001}},
		{"PageSize", &ListTaskDetailsRequest{TaskNo: "T1", PageSize: -1}},
		{"PageNum", &ListTaskDetailsRequest{TaskNo: "T1", PageNum: -1}},
		{"Status", &ListTaskDetailsRequest{TaskNo: "T1", Status: &bad}},
		{"Status", &ListTaskDetailsRequest{TaskNo: "T1", Status: &neg}},
	} {
		_, err := c.Tasks.ListDetails(context.Background(), tc.req)
		requireValidationField(t, err, tc.field)
		items, errs := drainSeq(t, c.Tasks.ListDetailsIter(context.Background(), tc.req), 10)
		require.Empty(t, items)
		require.Len(t, errs, 1)
		requireValidationField(t, errs[0], tc.field)
	}
	_, err := c.Tasks.ListDetails(context.Background(), &ListTaskDetailsRequest{TaskNo: "T1", PageSize: 1000})
	require.NoError(t, err, "1000 is allowed")
	require.Len(t, ts.requests(), 1, "only the valid request was sent")
}

func TestTaskListDetailsIter(t *testing.T) {
	c, ts := setup(t)
	servePagesOf(ts, "QueryTaskDetailList", func(n int) string {
		return fmt.Sprintf(`{"RequestId":"R","TotalItemNum":5,"CurrentPageNum":%d,"TotalPageNum":3,"PageSize":2,"NextPage":%t,"Data":{"TaskDetail":[%s]}}`,
			n, n < 3, detailJSON("T1", fmt.Sprintf("p%d.com", n), TaskSucceeded))
	})
	st := TaskSucceeded
	req := &ListTaskDetailsRequest{TaskNo: "T1", Status: &st, PageSize: 2}
	seq := c.Tasks.ListDetailsIter(context.Background(), req)
	st = TaskFailed // the iterator copied the request, Status included
	require.Empty(t, ts.requests())
	var names []string
	for d, err := range seq {
		require.NoError(t, err)
		names = append(names, d.DomainName)
	}
	require.Equal(t, []string{"p1.com", "p2.com", "p3.com"}, names)
	require.Equal(t, 0, req.PageNum, "the caller's request is not modified")
	reqs := ts.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assertParams(t, commonParams("QueryTaskDetailList", map[string]string{
			"TaskNo": "T1", "TaskStatus": "2", "PageSize": "2", "PageNum": strconv.Itoa(i + 1),
		}), r.Query)
	}

	// Early break: no further request.
	for range c.Tasks.ListDetailsIter(context.Background(), req) {
		break
	}
	require.Len(t, ts.requests(), 4)
}

const taskListJSON = `{"RequestId":"R-L","TotalItemNum":"2","CurrentPageNum":"1","TotalPageNum":"1","PageSize":"20","PrePage":false,"NextPage":false,
"Data":{"TaskInfo":[
 {"TaskNo":"T2","TaskType":"ORDER_REDEEM","TaskTypeDescription":"Redeem","TaskStatus":"EXECUTING","TaskStatusCode":"1","TaskNum":"3",
  "CreateTime":"2024-03-05 10:04:05","TaskCancelStatus":"NOT_CANCEL","TaskCancelStatusCode":0,"Clientip":"127.0.0.1"},
 {"TaskNo":"T1","TaskType":"ORDER_RENEW","TaskTypeDescription":"Renew","TaskStatus":"COMPLETE","TaskStatusCode":2,"TaskNum":1,
  "CreateTime":"Dec 26,2017 11:00:54","TaskCancelStatus":"INIT","Clientip":"10.0.0.1"}
]}}`

var wantTaskInfos = []TaskInfo{
	{TaskNo: "T2", TaskType: "ORDER_REDEEM", TaskTypeDescription: "Redeem", Status: TaskExecuting, TaskNum: 3,
		CreateTime: time.Date(2024, 3, 5, 2, 4, 5, 0, time.UTC)},
	{TaskNo: "T1", TaskType: "ORDER_RENEW", TaskTypeDescription: "Renew", Status: TaskSucceeded, TaskNum: 1,
		CreateTime: time.Date(2017, 12, 26, 3, 0, 54, 0, time.UTC)},
}

func TestTaskListParamsAndDecode(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskList", 200, taskListJSON)
	begin := time.UnixMilli(1709604245123)
	end := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	req := &ListTasksRequest{BeginCreateTime: begin, EndCreateTime: end, PageNum: 2, PageSize: 30}
	p, err := c.Tasks.List(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, "R-L", p.RequestID)
	require.Equal(t, Page{PageNum: 1, PageSize: 20, TotalPages: 1, TotalItems: 2}, p.Page)
	require.Equal(t, wantTaskInfos, p.Items)

	_, err = c.Tasks.List(context.Background(), nil)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assertParams(t, commonParams("QueryTaskList", map[string]string{
		"BeginCreateTime": "1709604245123",
		"EndCreateTime":   strconv.FormatInt(end.UnixMilli(), 10),
		"PageNum":         "2",
		"PageSize":        "30",
	}), reqs[0].Query)
	assertParams(t, commonParams("QueryTaskList", map[string]string{"PageNum": "1", "PageSize": "20"}), reqs[1].Query)
}

func TestTaskListXML(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("QueryTaskList", 200, `<?xml version='1.0' encoding='UTF-8'?><QueryTaskListResponse>
<RequestId>R-L</RequestId><TotalItemNum>2</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>1</TotalPageNum>
<PageSize>20</PageSize><PrePage>false</PrePage><NextPage>false</NextPage>
<Data>
<TaskInfo><TaskNo>T2</TaskNo><TaskType>ORDER_REDEEM</TaskType><TaskTypeDescription>Redeem</TaskTypeDescription><TaskStatus>EXECUTING</TaskStatus>
<TaskStatusCode>1</TaskStatusCode><TaskNum>3</TaskNum><CreateTime>2024-03-05 10:04:05</CreateTime><TaskCancelStatus>NOT_CANCEL</TaskCancelStatus>
<Clientip>127.0.0.1</Clientip></TaskInfo>
<TaskInfo><TaskNo>T1</TaskNo><TaskType>ORDER_RENEW</TaskType><TaskTypeDescription>Renew</TaskTypeDescription><TaskStatus>COMPLETE</TaskStatus>
<TaskStatusCode>2</TaskStatusCode><TaskNum>1</TaskNum><CreateTime>Dec 26,2017 11:00:54</CreateTime></TaskInfo>
</Data></QueryTaskListResponse>`)
	p, err := c.Tasks.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, "R-L", p.RequestID)
	require.Equal(t, wantTaskInfos, p.Items)
}

func TestTaskListTolerantAndStrict(t *testing.T) {
	for _, data := range []string{``, `,"Data":null`} {
		c, ts := setup(t)
		ts.reply("QueryTaskList", 200, `{"RequestId":"R","TotalItemNum":7,"CurrentPageNum":"1","TotalPageNum":1,"PageSize":20`+data+`}`)
		_, err := c.Tasks.List(context.Background(), nil)
		require.ErrorContains(t, err, "no Data", data)
	}
	for _, data := range []string{``, `,"Data":null`, `,"Data":{}`, `,"Data":{"TaskInfo":{}}`, `,"Data":{"TaskInfo":""}`, `,"Data":[]`} {
		c, ts := setup(t)
		ts.reply("QueryTaskList", 200, `{"RequestId":"R","TotalItemNum":0,"CurrentPageNum":"1","TotalPageNum":0,"PageSize":20`+data+`}`)
		p, err := c.Tasks.List(context.Background(), nil)
		require.NoError(t, err, data)
		require.Empty(t, p.Items, data)
	}
	// The status code alone is used when the text is absent or unknown.
	c, ts := setup(t)
	ts.reply("QueryTaskList", 200, `{"RequestId":"R","TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"TaskInfo":{"TaskNo":"T9","TaskStatusCode":"1","CreateTime":1709604245000}}}`)
	p, err := c.Tasks.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, []TaskInfo{{TaskNo: "T9", Status: TaskExecuting, CreateTime: time.UnixMilli(1709604245000).UTC()}}, p.Items)

	// A task without a number is refused.
	ts.reply("QueryTaskList", 200, `{"RequestId":"R","Data":{"TaskInfo":[{"TaskType":"ORDER_REDEEM"}]}}`)
	_, err = c.Tasks.List(context.Background(), nil)
	require.Error(t, err)
}

func TestTaskListValidationAndIter(t *testing.T) {
	c, ts := setup(t)
	for field, req := range map[string]*ListTasksRequest{
		"PageNum":       {PageNum: -1},
		"PageSize":      {PageSize: -1},
		"EndCreateTime": {BeginCreateTime: time.Now(), EndCreateTime: time.Now().Add(-time.Minute)},
	} {
		_, err := c.Tasks.List(context.Background(), req)
		requireValidationField(t, err, field)
		_, errs := drainSeq(t, c.Tasks.ListIter(context.Background(), req), 10)
		require.Len(t, errs, 1)
		requireValidationField(t, errs[0], field)
	}
	require.Empty(t, ts.requests())

	servePagesOf(ts, "QueryTaskList", func(n int) string {
		return fmt.Sprintf(`{"RequestId":"R","TotalItemNum":2,"CurrentPageNum":%d,"TotalPageNum":2,"PageSize":1,"NextPage":%t,"Data":{"TaskInfo":[{"TaskNo":"T%d","TaskType":"ORDER_REDEEM","TaskStatusCode":2}]}}`,
			n, n < 2, n)
	})
	req := &ListTasksRequest{BeginCreateTime: time.UnixMilli(1700000000000), PageSize: 1}
	orig := *req
	seq := c.Tasks.ListIter(context.Background(), req)
	require.Empty(t, ts.requests())
	var nos []string
	for ti, err := range seq {
		require.NoError(t, err)
		nos = append(nos, ti.TaskNo)
	}
	require.Equal(t, []string{"T1", "T2"}, nos)
	require.Equal(t, orig, *req)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	for i, r := range reqs {
		assertParams(t, commonParams("QueryTaskList", map[string]string{
			"BeginCreateTime": "1700000000000", "PageSize": "1", "PageNum": strconv.Itoa(i + 1),
		}), r.Query)
	}
}

func TestTaskStatusString(t *testing.T) {
	require.Equal(t, "waiting", TaskWaiting.String())
	require.Equal(t, "executing", TaskExecuting.String())
	require.Equal(t, "succeeded", TaskSucceeded.String())
	require.Equal(t, "failed", TaskFailed.String())
	require.Equal(t, "TaskStatus(7)", TaskStatus(7).String())
	require.Equal(t, "failed", fmt.Sprint(TaskFailed))
}

// fastWait polls every millisecond or so.
func fastWait(progress func(TaskCounts)) *WaitOptions {
	return &WaitOptions{PollInterval: time.Millisecond, MaxInterval: 2 * time.Millisecond, Progress: progress}
}

func TestWaitUntilDone(t *testing.T) {
	c, ts := setup(t)
	ts.script("QueryTaskDetailList",
		[2]any{200, detailsPage()}, // not visible yet
		[2]any{200, detailsPage(detailJSON("T1", "a.com", TaskExecuting), detailJSON("T1", "b.com", TaskWaiting))},
		[2]any{200, detailsPage(detailJSON("T1", "a.com", TaskSucceeded), detailJSON("T1", "b.com", TaskExecuting))},
		[2]any{200, detailsPage(detailJSON("T1", "a.com", TaskSucceeded), detailJSON("T1", "b.com", TaskFailed))},
	)
	var seen []TaskCounts
	rep, err := c.Tasks.Wait(context.Background(), "T1", fastWait(func(c TaskCounts) { seen = append(seen, c) }))
	require.NoError(t, err)
	require.Equal(t, []TaskCounts{
		{},
		{Waiting: 1, Executing: 1, Total: 2},
		{Executing: 1, Succeeded: 1, Total: 2},
		{Succeeded: 1, Failed: 1, Total: 2},
	}, seen)
	require.Equal(t, "T1", rep.TaskNo)
	require.Equal(t, TaskCounts{Succeeded: 1, Failed: 1, Total: 2}, rep.Counts)
	require.Len(t, rep.Details, 2)
	failedDetails := rep.Failed()
	require.Len(t, failedDetails, 1)
	require.Equal(t, "b.com", failedDetails[0].DomainName)
	require.Equal(t, "insufficient balance", failedDetails[0].FailReason)

	reqs := ts.requests()
	require.Len(t, reqs, 4, "polled until every detail was final, then stopped")
	for _, r := range reqs {
		assertParams(t, commonParams("QueryTaskDetailList", map[string]string{"TaskNo": "T1", "PageNum": "1", "PageSize": "1000"}), r.Query)
	}
}

func TestWaitReadsEveryPage(t *testing.T) {
	c, ts := setup(t)
	var mu sync.Mutex
	polls := 0
	ts.handle("QueryTaskDetailList", func(w http.ResponseWriter, r *http.Request) {
		n := max(askedPage(r), 1)
		mu.Lock()
		if n == 1 {
			polls++
		}
		final := polls >= 2
		mu.Unlock()
		st := TaskExecuting
		if final {
			st = TaskSucceeded
		}
		// Page 1 is always final; page 2 only from the second poll on.
		st1 := TaskSucceeded
		if n == 2 {
			st1 = st
		}
		fmt.Fprintf(w, `{"RequestId":"R","TotalItemNum":2,"CurrentPageNum":%d,"TotalPageNum":2,"PageSize":1,"NextPage":%t,"Data":{"TaskDetail":[%s]}}`,
			n, n < 2, detailJSON("T1", fmt.Sprintf("p%d.com", n), st1))
	})
	rep, err := c.Tasks.Wait(context.Background(), "T1", fastWait(nil))
	require.NoError(t, err)
	require.Equal(t, TaskCounts{Succeeded: 2, Total: 2}, rep.Counts)
	require.Empty(t, rep.Failed())
	var pagesAsked []string
	for _, r := range ts.requests() {
		pagesAsked = append(pagesAsked, r.Query.Get("PageNum"))
	}
	require.Equal(t, []string{"1", "2", "1", "2"}, pagesAsked, "a poll reads every page; page 2 was executing on the first")
}

func TestWaitContextEnds(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryTaskDetailList", 200, detailsPage(detailJSON("T1", "a.com", TaskSucceeded), detailJSON("T1", "b.com", TaskExecuting)))

	// Cancelled during the wait (by the third progress report).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := 0
	rep, err := c.Tasks.Wait(ctx, "T1", &WaitOptions{PollInterval: time.Millisecond, Progress: func(TaskCounts) {
		polls++
		if polls == 3 {
			cancel()
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	require.Contains(t, err.Error(), "T1")
	require.NotNil(t, rep, "the last report comes back with the error")
	require.Equal(t, TaskCounts{Succeeded: 1, Executing: 1, Total: 2}, rep.Counts)
	require.Equal(t, 3, polls)
	require.Len(t, ts.requests(), 3, "no poll after the context ended")

	// A deadline ends a wait that never completes, promptly.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	start := time.Now()
	rep, err = c.Tasks.Wait(ctx2, "T1", &WaitOptions{PollInterval: 2 * time.Millisecond, MaxInterval: 5 * time.Millisecond})
	require.Less(t, time.Since(start), 5*time.Second)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	if rep != nil {
		require.Equal(t, 2, rep.Counts.Total)
	}

	// Cancelled before the first poll: nothing is sent. (A poll of the
	// wait above may still reach the server after that wait returned, so
	// this one asks for another task and no request may name it.)
	ctx3, cancel3 := context.WithCancel(context.Background())
	cancel3()
	rep, err = c.Tasks.Wait(ctx3, "T3", nil)
	require.ErrorIs(t, err, context.Canceled)
	require.Nil(t, rep)
	for _, r := range ts.requests() {
		require.NotEqual(t, "T3", r.Query.Get("TaskNo"), "a request was sent for a wait whose context had ended")
	}
}

func TestWaitFailsOnServiceError(t *testing.T) {
	c, ts := setup(t)
	ts.handle("QueryTaskDetailList", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		io.WriteString(w, `{"Code":"InvalidTaskNo","Message":"no such task","RequestId":"R-E"}`)
	})
	rep, err := c.Tasks.Wait(context.Background(), "T404", fastWait(nil))
	require.Nil(t, rep)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	require.Equal(t, "InvalidTaskNo", apiErr.Code)
	require.Len(t, ts.requests(), 1)
}

func TestWaitValidation(t *testing.T) {
	c, ts := setup(t)
	for _, no := range []string{"", "  "} {
		rep, err := c.Tasks.Wait(context.Background(), no, nil)
		require.Nil(t, rep)
		requireValidationField(t, err, "taskNo")
	}
	require.Empty(t, ts.requests())
}

func TestTaskReportFailedNil(t *testing.T) {
	var r *TaskReport
	require.Nil(t, r.Failed())
	require.Equal(t, "3 details: 1 waiting, 0 executing, 1 succeeded, 1 failed",
		TaskCounts{Waiting: 1, Succeeded: 1, Failed: 1, Total: 3}.String())
}
