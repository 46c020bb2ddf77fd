package alidomain

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TaskService reads the tasks that orders create (QueryTaskList,
// QueryTaskDetailList) and waits for them to finish.
type TaskService service

// TaskStatus is the state of a task detail (one domain of a task), or of a
// whole task. It is sent on the wire as its number.
type TaskStatus int

const (
	// TaskWaiting has not started yet.
	TaskWaiting TaskStatus = 0
	// TaskExecuting is being carried out.
	TaskExecuting TaskStatus = 1
	// TaskSucceeded is done and succeeded. For a whole task (TaskInfo) it
	// means complete: every detail is final, some may have failed.
	TaskSucceeded TaskStatus = 2
	// TaskFailed is done and failed; TaskDetail.ErrorMsg and FailReason
	// say why.
	TaskFailed TaskStatus = 3
)

// String returns "waiting", "executing", "succeeded", "failed", or
// TaskStatus(n) for another value.
func (s TaskStatus) String() string {
	switch s {
	case TaskWaiting:
		return "waiting"
	case TaskExecuting:
		return "executing"
	case TaskSucceeded:
		return "succeeded"
	case TaskFailed:
		return "failed"
	}
	return "TaskStatus(" + strconv.Itoa(int(s)) + ")"
}

// maxDetailPageSize is the largest PageSize QueryTaskDetailList accepts.
const maxDetailPageSize = 1000

// ListTaskDetailsRequest is the input of TaskService.ListDetails
// (QueryTaskDetailList). Zero fields other than TaskNo are not sent.
type ListTaskDetailsRequest struct {
	// TaskNo is the task, as SubmitResult.TaskNo; required.
	TaskNo string
	// DomainName keeps the details of this domain.
	DomainName string
	// InstanceID keeps the details of this domain instance (sent as
	// InstanceId).
	InstanceID string
	// Status keeps the details in this state (sent as TaskStatus, a
	// number); nil keeps all.
	Status *TaskStatus
	// PageNum (from 1) and PageSize (up to 1000) select a page; zero means
	// the service's default. ListDetailsIter starts at PageNum and advances
	// it itself.
	PageNum, PageSize int
}

// validate checks r without sending anything.
func (r *ListTaskDetailsRequest) validate() error {
	switch {
	case r == nil:
		return &ValidationError{Field: "ListTaskDetailsRequest", Reason: "is nil"}
	case strings.TrimSpace(r.TaskNo) == "":
		return &ValidationError{Field: "TaskNo", Reason: "is empty: give the TaskNo that SubmitBatch or Submit returned"}
	case r.Status != nil && (*r.Status < TaskWaiting || *r.Status > TaskFailed):
		return &ValidationError{Field: "Status", Reason: fmt.Sprintf("is %d; it must be 0 (waiting) to 3 (failed)", int(*r.Status))}
	}
	return checkPaging(r.PageNum, r.PageSize, maxDetailPageSize, "", time.Time{}, "", time.Time{})
}

// TaskDetail is the state of one domain of a task, as QueryTaskDetailList
// reports it.
type TaskDetail struct {
	// TaskNo is the task the detail belongs to.
	TaskNo string
	// TaskDetailNo identifies the detail.
	TaskDetailNo string
	// DomainName is the domain the detail acts on.
	DomainName string
	// InstanceID is the domain's instance ID.
	InstanceID string
	// TaskType is the kind of task, such as ORDER_REDEEM.
	TaskType string
	// TaskTypeDescription describes TaskType in the request's language.
	TaskTypeDescription string
	// TaskResult is the service's result text, if any.
	TaskResult string
	// ErrorMsg is the service's message about the outcome.
	ErrorMsg string
	// FailReason says why the detail failed.
	FailReason string
	// Status is the detail's state (from TaskStatusCode, or from the
	// TaskStatus text when the code is absent).
	Status TaskStatus
	// TryCount is how many times the service has tried the detail.
	TryCount int
	// CreateTime and UpdateTime are when the detail was created and last
	// changed, in UTC, to the second.
	CreateTime, UpdateTime time.Time
}

// TaskDetailPage is one page of QueryTaskDetailList.
type TaskDetailPage struct {
	Meta
	Page
	// Items are the page's details.
	Items []TaskDetail
}

// taskDetailParams are QueryTaskDetailList's parameters on the wire.
type taskDetailParams struct {
	TaskNo     string `url:"TaskNo"`
	DomainName string `url:"DomainName,omitempty"`
	InstanceID string `url:"InstanceId,omitempty"`
	TaskStatus *int   `url:"TaskStatus,omitempty"`
	PageNum    int    `url:"PageNum,omitempty"`
	PageSize   int    `url:"PageSize,omitempty"`
}

// wireTaskDetail is one detail on the wire.
type wireTaskDetail struct {
	TaskNo              flexString  `json:"TaskNo" xml:"TaskNo"`
	TaskDetailNo        flexString  `json:"TaskDetailNo" xml:"TaskDetailNo"`
	TaskType            flexString  `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription flexString  `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	InstanceID          flexString  `json:"InstanceId" xml:"InstanceId"`
	DomainName          flexString  `json:"DomainName" xml:"DomainName"`
	TaskStatus          flexString  `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      optionalInt `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TryCount            flexInt     `json:"TryCount" xml:"TryCount"`
	ErrorMsg            flexString  `json:"ErrorMsg" xml:"ErrorMsg"`
	FailReason          flexString  `json:"FailReason" xml:"FailReason"`
	TaskResult          flexString  `json:"TaskResult" xml:"TaskResult"`
	CreateTime          serviceTime `json:"CreateTime" xml:"CreateTime"`
	UpdateTime          serviceTime `json:"UpdateTime" xml:"UpdateTime"`
}

// detailStatusNames maps QueryTaskDetailList's TaskStatus texts.
var detailStatusNames = map[string]TaskStatus{
	"WAITING_EXECUTE": TaskWaiting,
	"EXECUTING":       TaskExecuting,
	"EXECUTE_SUCCESS": TaskSucceeded,
	"EXECUTE_FAILURE": TaskFailed,
}

func (w *wireTaskDetail) detail() TaskDetail {
	st := TaskWaiting
	if w.TaskStatusCode.ok {
		st = TaskStatus(w.TaskStatusCode.v)
	} else if s, ok := detailStatusNames[strings.ToUpper(strings.TrimSpace(string(w.TaskStatus)))]; ok {
		st = s
	}
	return TaskDetail{
		TaskNo:              string(w.TaskNo),
		TaskDetailNo:        string(w.TaskDetailNo),
		DomainName:          string(w.DomainName),
		InstanceID:          string(w.InstanceID),
		TaskType:            string(w.TaskType),
		TaskTypeDescription: string(w.TaskTypeDescription),
		TaskResult:          string(w.TaskResult),
		ErrorMsg:            string(w.ErrorMsg),
		FailReason:          string(w.FailReason),
		Status:              st,
		TryCount:            int(w.TryCount),
		CreateTime:          time.Time(w.CreateTime),
		UpdateTime:          time.Time(w.UpdateTime),
	}
}

// taskDetailData is the Data member: {"TaskDetail":[...]} in JSON,
// repeated <TaskDetail> elements in XML.
type taskDetailData struct {
	TaskDetail []wireTaskDetail `xml:"TaskDetail"`
}

// UnmarshalJSON tolerates the shapes decodeListJSON accepts.
func (d *taskDetailData) UnmarshalJSON(b []byte) error {
	items, err := decodeListJSON[wireTaskDetail](b, "TaskDetail")
	d.TaskDetail = items
	return err
}

// taskDetailListResponse is QueryTaskDetailList's answer.
type taskDetailListResponse struct {
	wirePage
	Data taskDetailData `json:"Data" xml:"Data"`
}

// check refuses a detail without a DomainName: which domain it is about is
// the one thing a caller cannot do without.
func (r *taskDetailListResponse) check() error {
	for i := range r.Data.TaskDetail {
		if strings.TrimSpace(string(r.Data.TaskDetail[i].DomainName)) == "" {
			return fmt.Errorf("task detail %d (TaskDetailNo %q) of the page has no DomainName", i+1, string(r.Data.TaskDetail[i].TaskDetailNo))
		}
	}
	return nil
}

var (
	opQueryTaskDetailList = &operation{action: "QueryTaskDetailList", idempotent: true}
	opQueryTaskList       = &operation{action: "QueryTaskList", idempotent: true}
)

// ListDetails returns one page of a task's details (QueryTaskDetailList):
// the state of each domain of the task. The request is validated first
// (TaskNo required, PageSize up to 1000, Status 0 to 3); a *ValidationError
// means nothing was sent. Use ListDetailsIter for every page, or Wait to
// wait for the task to finish.
func (s *TaskService) ListDetails(ctx context.Context, req *ListTaskDetailsRequest, optFns ...func(*Options)) (*TaskDetailPage, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	p := taskDetailParams{
		TaskNo:     req.TaskNo,
		DomainName: req.DomainName,
		InstanceID: req.InstanceID,
		PageNum:    pageNum(req.PageNum),
		PageSize:   pageSize(req.PageSize),
	}
	if req.Status != nil {
		st := int(*req.Status)
		p.TaskStatus = &st
	}
	ps, err := encodeRequest(p)
	if err != nil {
		return nil, err
	}
	var out taskDetailListResponse
	meta, err := s.client.invoke(ctx, opQueryTaskDetailList, ps, &out, optFns)
	if err != nil {
		return nil, err
	}
	items := make([]TaskDetail, len(out.Data.TaskDetail))
	for i := range out.Data.TaskDetail {
		items[i] = out.Data.TaskDetail[i].detail()
	}
	return &TaskDetailPage{Meta: meta, Page: out.page(), Items: items}, nil
}

// ListDetailsIter returns an iterator over every detail that req selects,
// page after page, starting at req.PageNum (or 1). It sends nothing until
// the loop starts and no further request once the loop breaks; req is
// copied when ListDetailsIter is called and never modified. On a failure,
// a *ValidationError included, the iterator yields the error once and stops.
func (s *TaskService) ListDetailsIter(ctx context.Context, req *ListTaskDetailsRequest, optFns ...func(*Options)) iter.Seq2[TaskDetail, error] {
	if err := req.validate(); err != nil {
		return failedSeq[TaskDetail](err)
	}
	r := *req
	if r.Status != nil {
		st := *r.Status
		r.Status = &st
	}
	optFns = slices.Clone(optFns)
	return pages(ctx, r.PageNum, func(ctx context.Context, n int) ([]TaskDetail, Page, error) {
		pr := r
		pr.PageNum = n
		p, err := s.ListDetails(ctx, &pr, optFns...)
		if err != nil {
			return nil, Page{}, err
		}
		return p.Items, p.Page, nil
	})
}

// ListTasksRequest is the input of TaskService.List (QueryTaskList). Zero
// fields are not sent.
type ListTasksRequest struct {
	// BeginCreateTime and EndCreateTime bound the tasks' creation time;
	// they are sent as Unix milliseconds, and a zero time is not sent. The
	// service may apply them to whole days only.
	BeginCreateTime, EndCreateTime time.Time
	// PageNum (from 1) and PageSize select a page; zero means the service's
	// default. ListIter starts at PageNum and advances it itself.
	PageNum, PageSize int
}

// validate checks r without sending anything.
func (r *ListTasksRequest) validate() error {
	return checkPaging(r.PageNum, r.PageSize, 0, "BeginCreateTime", r.BeginCreateTime, "EndCreateTime", r.EndCreateTime)
}

// TaskInfo is one task of the account, as QueryTaskList reports it.
type TaskInfo struct {
	// TaskNo identifies the task.
	TaskNo string
	// TaskType is the kind of task, such as ORDER_REDEEM.
	TaskType string
	// TaskTypeDescription describes TaskType in the request's language.
	TaskTypeDescription string
	// Status is the task's state: waiting, executing, or (TaskSucceeded)
	// complete, whatever its details' outcomes. It is read from the
	// TaskStatus text (WAITING_EXECUTE, EXECUTING, COMPLETE), whose meaning
	// is documented unambiguously, else from TaskStatusCode.
	Status TaskStatus
	// TaskNum is the number of domains (details) in the task.
	TaskNum int
	// CreateTime is when the task was created, in UTC, to the second.
	CreateTime time.Time
}

// TaskPage is one page of QueryTaskList.
type TaskPage struct {
	Meta
	Page
	// Items are the page's tasks.
	Items []TaskInfo
}

// taskListParams are QueryTaskList's parameters on the wire.
type taskListParams struct {
	BeginCreateTime millis `url:"BeginCreateTime"`
	EndCreateTime   millis `url:"EndCreateTime"`
	PageNum         int    `url:"PageNum,omitempty"`
	PageSize        int    `url:"PageSize,omitempty"`
}

// wireTaskInfo is one task on the wire.
type wireTaskInfo struct {
	TaskNo              flexString  `json:"TaskNo" xml:"TaskNo"`
	TaskType            flexString  `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription flexString  `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	TaskStatus          flexString  `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      flexInt     `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TaskNum             flexInt     `json:"TaskNum" xml:"TaskNum"`
	CreateTime          serviceTime `json:"CreateTime" xml:"CreateTime"`
	TaskCancelStatus    flexString  `json:"TaskCancelStatus" xml:"TaskCancelStatus"`
	ClientIP            flexString  `json:"Clientip" xml:"Clientip"`
}

// taskStatusNames maps QueryTaskList's TaskStatus texts.
var taskStatusNames = map[string]TaskStatus{
	"WAITING_EXECUTE": TaskWaiting,
	"EXECUTING":       TaskExecuting,
	"COMPLETE":        TaskSucceeded,
}

func (w *wireTaskInfo) info() TaskInfo {
	st, ok := taskStatusNames[strings.ToUpper(strings.TrimSpace(string(w.TaskStatus)))]
	if !ok {
		st = TaskStatus(w.TaskStatusCode)
	}
	return TaskInfo{
		TaskNo:              string(w.TaskNo),
		TaskType:            string(w.TaskType),
		TaskTypeDescription: string(w.TaskTypeDescription),
		Status:              st,
		TaskNum:             int(w.TaskNum),
		CreateTime:          time.Time(w.CreateTime),
	}
}

// taskInfoData is the Data member: {"TaskInfo":[...]} in JSON, repeated
// <TaskInfo> elements in XML.
type taskInfoData struct {
	TaskInfo []wireTaskInfo `xml:"TaskInfo"`
}

// UnmarshalJSON tolerates the shapes decodeListJSON accepts.
func (d *taskInfoData) UnmarshalJSON(b []byte) error {
	items, err := decodeListJSON[wireTaskInfo](b, "TaskInfo")
	d.TaskInfo = items
	return err
}

// taskListResponse is QueryTaskList's answer.
type taskListResponse struct {
	wirePage
	Data taskInfoData `json:"Data" xml:"Data"`
}

// check refuses a task without a TaskNo: nothing can be done with it.
func (r *taskListResponse) check() error {
	for i := range r.Data.TaskInfo {
		if strings.TrimSpace(string(r.Data.TaskInfo[i].TaskNo)) == "" {
			return fmt.Errorf("task %d of the page has no TaskNo", i+1)
		}
	}
	return nil
}

// List returns one page of the account's tasks (QueryTaskList), newest
// first as the service orders them. A nil req lists every task, first page,
// default page size. Use ListIter to go through every page.
func (s *TaskService) List(ctx context.Context, req *ListTasksRequest, optFns ...func(*Options)) (*TaskPage, error) {
	var r ListTasksRequest
	if req != nil {
		r = *req
	}
	if err := r.validate(); err != nil {
		return nil, err
	}
	ps, err := encodeRequest(taskListParams{
		BeginCreateTime: millis(r.BeginCreateTime),
		EndCreateTime:   millis(r.EndCreateTime),
		PageNum:         pageNum(r.PageNum),
		PageSize:        pageSize(r.PageSize),
	})
	if err != nil {
		return nil, err
	}
	var out taskListResponse
	meta, err := s.client.invoke(ctx, opQueryTaskList, ps, &out, optFns)
	if err != nil {
		return nil, err
	}
	items := make([]TaskInfo, len(out.Data.TaskInfo))
	for i := range out.Data.TaskInfo {
		items[i] = out.Data.TaskInfo[i].info()
	}
	return &TaskPage{Meta: meta, Page: out.page(), Items: items}, nil
}

// ListIter returns an iterator over every task that req selects, page
// after page, starting at req.PageNum (or 1). It sends nothing until the
// loop starts and no further request once the loop breaks; req is copied
// when ListIter is called and never modified. On a failure the iterator
// yields the error once and stops.
func (s *TaskService) ListIter(ctx context.Context, req *ListTasksRequest, optFns ...func(*Options)) iter.Seq2[TaskInfo, error] {
	var r ListTasksRequest
	if req != nil {
		r = *req
	}
	if err := r.validate(); err != nil {
		return failedSeq[TaskInfo](err)
	}
	optFns = slices.Clone(optFns)
	return pages(ctx, r.PageNum, func(ctx context.Context, n int) ([]TaskInfo, Page, error) {
		pr := r
		pr.PageNum = n
		p, err := s.List(ctx, &pr, optFns...)
		if err != nil {
			return nil, Page{}, err
		}
		return p.Items, p.Page, nil
	})
}

// TaskCounts counts a task's details by state.
type TaskCounts struct {
	// Waiting, Executing, Succeeded and Failed count the details in each
	// state.
	Waiting, Executing, Succeeded, Failed int
	// Total is the number of details, including any in a state this
	// package does not know.
	Total int
}

// String returns a summary such as "3 details: 1 waiting, 0 executing, 1
// succeeded, 1 failed".
func (c TaskCounts) String() string {
	return fmt.Sprintf("%d details: %d waiting, %d executing, %d succeeded, %d failed",
		c.Total, c.Waiting, c.Executing, c.Succeeded, c.Failed)
}

// done reports whether the task has details and all of them are final.
func (c TaskCounts) done() bool {
	return c.Total > 0 && c.Succeeded+c.Failed == c.Total
}

// countDetails counts details by state.
func countDetails(details []TaskDetail) TaskCounts {
	c := TaskCounts{Total: len(details)}
	for i := range details {
		switch details[i].Status {
		case TaskWaiting:
			c.Waiting++
		case TaskExecuting:
			c.Executing++
		case TaskSucceeded:
			c.Succeeded++
		case TaskFailed:
			c.Failed++
		}
	}
	return c
}

// Default intervals of Wait.
const (
	defaultPollInterval = 2 * time.Second
	defaultMaxInterval  = 30 * time.Second
)

// WaitOptions tunes TaskService.Wait.
type WaitOptions struct {
	// PollInterval is the first pause between polls (default 2s); the
	// pause then doubles up to MaxInterval (default 30s, and never below
	// PollInterval). Each pause is shortened by up to a fifth at random, so
	// that many waiters do not poll in step.
	PollInterval, MaxInterval time.Duration
	// Progress, if set, is called with the counts after each poll, in the
	// goroutine that called Wait.
	Progress func(TaskCounts)
}

// TaskReport is the state of every detail of a task.
type TaskReport struct {
	// TaskNo is the task.
	TaskNo string
	// Details are the task's details, as the last poll saw them.
	Details []TaskDetail
	// Counts counts Details by state.
	Counts TaskCounts
}

// Failed returns the details that failed, in order.
func (r *TaskReport) Failed() []TaskDetail {
	if r == nil {
		return nil
	}
	var out []TaskDetail
	for _, d := range r.Details {
		if d.Status == TaskFailed {
			out = append(out, d)
		}
	}
	return out
}

// Wait polls the task's details (QueryTaskDetailList, every page, 1000 per
// page) until each one has succeeded or failed, and returns them. A task
// with no detail yet is not done: right after a submission the service may
// not show them yet, so Wait keeps polling; give ctx a deadline, since a
// TaskNo the service does not know also shows no detail. Transient
// failures of a poll are retried as for any read; a failure that remains
// ends the wait with that error.
//
// Between polls Wait pauses as WaitOptions says (nil opts: 2s, doubling up
// to 30s), and calls opts.Progress after each poll. A task whose details
// all ended is a success even if some failed: see TaskReport.Failed. When
// ctx ends first, Wait returns the last report it got (nil if none) and an
// error that wraps ctx.Err(). An empty taskNo is a *ValidationError.
func (s *TaskService) Wait(ctx context.Context, taskNo string, opts *WaitOptions, optFns ...func(*Options)) (*TaskReport, error) {
	if strings.TrimSpace(taskNo) == "" {
		return nil, &ValidationError{Field: "taskNo", Reason: "is empty: give the TaskNo that SubmitBatch or Submit returned"}
	}
	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if o.PollInterval <= 0 {
		o.PollInterval = defaultPollInterval
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = defaultMaxInterval
	}
	if o.MaxInterval < o.PollInterval {
		o.MaxInterval = o.PollInterval
	}
	req := &ListTaskDetailsRequest{TaskNo: taskNo, PageSize: maxDetailPageSize}
	var last *TaskReport
	pause := o.PollInterval
	for {
		details, err := collectSeq(s.ListDetailsIter(ctx, req, optFns...))
		if err != nil {
			if ctx.Err() != nil {
				return last, waitEnded(ctx, taskNo, last, err)
			}
			return last, fmt.Errorf("alidomain: waiting for task %s: %w", taskNo, err)
		}
		last = &TaskReport{TaskNo: taskNo, Details: details, Counts: countDetails(details)}
		if o.Progress != nil {
			o.Progress(last.Counts)
		}
		if last.Counts.done() {
			return last, nil
		}
		d := pause - time.Duration(rand.Int64N(int64(pause)/5+1))
		if err := sleepCtx(ctx, d); err != nil {
			return last, waitEnded(ctx, taskNo, last, err)
		}
		pause = min(pause*2, o.MaxInterval)
	}
}

// waitEnded is Wait's error when ctx ended: it wraps ctx.Err() (and err,
// when err is another error) and says how far the task had got.
func waitEnded(ctx context.Context, taskNo string, last *TaskReport, err error) error {
	seen := "no poll completed"
	if last != nil {
		seen = "last seen: " + last.Counts.String()
	}
	if errors.Is(err, ctx.Err()) {
		return fmt.Errorf("alidomain: waiting for task %s (%s): %w", taskNo, seen, err)
	}
	return fmt.Errorf("alidomain: waiting for task %s (%s): %w: %w", taskNo, seen, ctx.Err(), err)
}
