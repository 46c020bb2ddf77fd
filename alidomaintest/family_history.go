package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/wire"
	"strconv"
	"strings"
	"time"
)

// Tasks beyond QueryTaskList: the cursor lists QueryTaskInfoHistory and
// QueryTaskDetailHistory, CancelTask, and PollTaskResult with
// AcknowledgeTaskResult. They cover every task of the Server, paid orders
// included.

func init() {
	actions["QueryTaskInfoHistory"] = actionDef{handle: (*Server).queryTaskInfoHistory}
	actions["QueryTaskDetailHistory"] = actionDef{handle: (*Server).queryTaskDetailHistory}
	actions["CancelTask"] = actionDef{handle: (*Server).cancelTask}
	actions["PollTaskResult"] = actionDef{handle: (*Server).pollTaskResult}
	actions["AcknowledgeTaskResult"] = actionDef{handle: (*Server).acknowledgeTaskResult}
}

// MsgTaskCancelled is the ErrorMsg (and FailReason) of a detail that
// CancelTask stopped before it was final.
const MsgTaskCancelled = "the task was cancelled"

// Task cancel states, as QueryTaskList's TaskCancelStatus and
// TaskCancelStatusCode report them (the Server's reading of undocumented
// values).
const (
	// TaskNotCancelled (code 0) is a task no CancelTask stopped.
	TaskNotCancelled = "NOT_CANCEL"
	// TaskCancelled (code 1) is a task CancelTask stopped details of.
	TaskCancelled = "SUCCESS"
)

// cancelStatus is a task's TaskCancelStatus and its code. s.mu is held.
func (s *Server) cancelStatus(t *task) (string, int) {
	if s.fam.cancelled[t] {
		return TaskCancelled, 1
	}
	return TaskNotCancelled, 0
}

// historyPageSize reads a history's PageSize (required by the gateway).
func (s *Server) historyPageSize(p params) (int, *gatewayError) {
	n, ok := wireInt(p["PageSize"])
	if !ok || n < 1 || n > int64(s.cfg.pageSizeLimit) {
		return 0, errInvalid("PageSize")
	}
	return int(n), nil
}

type taskHistoryItem struct {
	ClientIP            string `json:"Clientip" xml:"Clientip"`
	CreateTime          string `json:"CreateTime" xml:"CreateTime"`
	CreateTimeLong      int64  `json:"CreateTimeLong" xml:"CreateTimeLong"`
	TaskNo              string `json:"TaskNo" xml:"TaskNo"`
	TaskNum             int    `json:"TaskNum" xml:"TaskNum"`
	TaskStatus          string `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      int    `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TaskType            string `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription string `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
}

// historyResponse is the answer of both history lists: a page of items and
// the items that start this page, the next and the previous one.
type historyResponse[T any] struct {
	RequestID         string `json:"RequestId" xml:"RequestId"`
	PageSize          int    `json:"PageSize" xml:"PageSize"`
	Objects           []T    `json:"Objects" xml:"Objects"`
	CurrentPageCursor *T     `json:"CurrentPageCursor" xml:"CurrentPageCursor"`
	NextPageCursor    *T     `json:"NextPageCursor,omitempty" xml:"NextPageCursor,omitempty"`
	PrePageCursor     *T     `json:"PrePageCursor" xml:"PrePageCursor"`
}

// historyPage answers the page of size items of list starting at from; the
// cursors of a page or a previous page that does not exist are empty
// objects, and a next page that does not exist is left out.
func historyPage[E, T any](reqID string, list []E, from, size int, item func(E) *T) historyResponse[T] {
	lo := min(from, len(list))
	hi := min(lo+size, len(list))
	resp := historyResponse[T]{RequestID: reqID, PageSize: size, Objects: make([]T, 0, hi-lo),
		CurrentPageCursor: new(T), PrePageCursor: new(T)}
	for _, e := range list[lo:hi] {
		resp.Objects = append(resp.Objects, *item(e))
	}
	if lo < hi {
		resp.CurrentPageCursor = item(list[lo])
	}
	if hi < len(list) {
		resp.NextPageCursor = item(list[hi])
	}
	if lo > 0 {
		resp.PrePageCursor = item(list[max(lo-size, 0)])
	}
	return resp
}

// queryTaskInfoHistory lists tasks newest first, filtered by
// BeginCreateTime/EndCreateTime (Unix ms, inclusive), PageSize at a time.
// A page starts at the task TaskNoCursor names (CreateTimeCursor alone: at
// the first task created at or before it); NextPageCursor is the first task
// of the next page, absent after the last, and the client passes its
// TaskNo and CreateTimeLong back. CurrentPageCursor and PrePageCursor are
// the first tasks of this page and the previous one (empty objects when
// there is none). An unknown TaskNoCursor is InvalidParameter.
func (s *Server) queryTaskInfoHistory(c *actionCall) (any, *gatewayError) {
	size, err := s.historyPageSize(c.p)
	if err != nil {
		return nil, err
	}
	begin, hasBegin, err := parseMS(c.p, "BeginCreateTime", false)
	if err != nil {
		return nil, err
	}
	end, hasEnd, err := parseMS(c.p, "EndCreateTime", false)
	if err != nil {
		return nil, err
	}
	at, hasAt, err := parseMS(c.p, "CreateTimeCursor", false)
	if err != nil {
		return nil, err
	}
	noCursor := c.p["TaskNoCursor"]
	lang := c.p["Lang"]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	var list []*task
	for i := len(s.tasks) - 1; i >= 0; i-- {
		t := s.tasks[i]
		ms := t.created.UnixMilli()
		if (hasBegin && ms < begin) || (hasEnd && ms > end) {
			continue
		}
		list = append(list, t)
	}
	from := 0
	switch {
	case noCursor != "":
		from = -1
		for i, t := range list {
			if t.no == noCursor {
				from = i
				break
			}
		}
		if from < 0 {
			return nil, errInvalid("TaskNoCursor")
		}
	case hasAt:
		for from < len(list) && list[from].created.UnixMilli() > at {
			from++
		}
	}
	item := func(t *task) *taskHistoryItem {
		st := t.status(c.now)
		return &taskHistoryItem{
			ClientIP:            t.clientIP,
			CreateTime:          formatCST(t.created),
			CreateTimeLong:      t.created.UnixMilli(),
			TaskNo:              t.no,
			TaskNum:             len(t.details),
			TaskStatus:          taskStatusNames[st],
			TaskStatusCode:      st,
			TaskType:            t.typ,
			TaskTypeDescription: s.typeDescription(t.typ, lang),
		}
	}
	return historyPage(c.reqID, list, from, size, item), nil
}

type detailHistoryItem struct {
	CreateTime          string `json:"CreateTime" xml:"CreateTime"`
	DomainName          string `json:"DomainName" xml:"DomainName"`
	ErrorMsg            string `json:"ErrorMsg" xml:"ErrorMsg"`
	InstanceID          string `json:"InstanceId" xml:"InstanceId"`
	TaskDetailNo        string `json:"TaskDetailNo" xml:"TaskDetailNo"`
	TaskNo              string `json:"TaskNo" xml:"TaskNo"`
	TaskStatus          string `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      int    `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TaskType            string `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription string `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	TryCount            int    `json:"TryCount" xml:"TryCount"`
	UpdateTime          string `json:"UpdateTime" xml:"UpdateTime"`
}

// detailItem is a detail as the history and poll answers write it. s.mu
// is held.
func (s *Server) detailItem(d *detail, now time.Time, lang string) detailHistoryItem {
	st := d.status(now)
	it := detailHistoryItem{
		CreateTime:          formatCST(d.created),
		DomainName:          d.name,
		InstanceID:          d.instance,
		TaskDetailNo:        d.no,
		TaskNo:              d.task.no,
		TaskStatus:          detailStatusNames[st],
		TaskStatusCode:      st,
		TaskType:            d.task.typ,
		TaskTypeDescription: s.typeDescription(d.task.typ, lang),
		UpdateTime:          formatCST(d.updated(now)),
	}
	if st > 0 {
		it.TryCount = 1
	}
	switch st {
	case 2:
		it.ErrorMsg = MsgSuccess
	case 3:
		it.ErrorMsg = d.failMsg
	}
	return it
}

// queryTaskDetailHistory lists the details of the task TaskNo in order,
// filtered by DomainName and TaskStatus (0..3), PageSize at a time. A page
// starts at the detail TaskDetailNoCursor names (an unknown one is
// InvalidParameter); NextPageCursor is the first detail of the next page,
// absent after the last, and the client passes its TaskDetailNo and
// DomainName back; CurrentPageCursor and PrePageCursor are as for
// QueryTaskInfoHistory. An unknown TaskNo lists nothing.
func (s *Server) queryTaskDetailHistory(c *actionCall) (any, *gatewayError) {
	size, err := s.historyPageSize(c.p)
	if err != nil {
		return nil, err
	}
	wantStatus := -1
	if v := c.p["TaskStatus"]; v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 0 || n > 3 {
			return nil, errInvalid("TaskStatus")
		}
		wantStatus = n
	}
	key := ""
	if v := strings.TrimSpace(c.p["DomainName"]); v != "" {
		key = wire.CanonicalName(v)
	}
	noCursor := c.p["TaskDetailNoCursor"]
	lang := c.p["Lang"]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	var list []*detail
	if t := s.taskByNo[c.p["TaskNo"]]; t != nil {
		for _, d := range t.details {
			if (wantStatus >= 0 && d.status(c.now) != wantStatus) || (key != "" && d.key != key) {
				continue
			}
			list = append(list, d)
		}
	}
	from := 0
	if noCursor != "" {
		from = -1
		for i, d := range list {
			if d.no == noCursor {
				from = i
				break
			}
		}
		if from < 0 {
			return nil, errInvalid("TaskDetailNoCursor")
		}
	}
	item := func(d *detail) *detailHistoryItem {
		it := s.detailItem(d, c.now, lang)
		return &it
	}
	return historyPage(c.reqID, list, from, size, item), nil
}

// cancelTask stops the details of the task TaskNo that are not final yet:
// they fail with MsgTaskCancelled and change nothing, and the task reports
// TaskCancelled. A task whose details are all final is left as it is (so
// a cancel sent again changes nothing); an unknown task is
// InvalidParameter (the real code is undocumented).
func (s *Server) cancelTask(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	t := s.taskByNo[c.p["TaskNo"]]
	if t == nil {
		return nil, errInvalid("TaskNo")
	}
	stopped := map[*detail]bool{}
	for _, d := range t.details {
		if !d.final {
			d.final, d.failMsg, d.finalAt = true, MsgTaskCancelled, c.now
			stopped[d] = true
		}
	}
	if len(stopped) == 0 {
		return requestOnly{RequestID: c.reqID}, nil
	}
	kept := s.pending[:0]
	for _, d := range s.pending {
		if !stopped[d] {
			kept = append(kept, d)
		}
	}
	for i := len(kept); i < len(s.pending); i++ {
		s.pending[i] = nil
	}
	s.pending = kept
	if s.fam.cancelled == nil {
		s.fam.cancelled = make(map[*task]bool)
	}
	s.fam.cancelled[t] = true
	return requestOnly{RequestID: c.reqID}, nil
}

type pollItem struct {
	detailHistoryItem
	TaskResult string `json:"TaskResult" xml:"TaskResult"`
}

type pollResponse struct {
	pageInfo
	Data struct {
		TaskDetail []pollItem `json:"TaskDetail" xml:"TaskDetail"`
	} `json:"Data" xml:"Data"`
}

// pollTaskResult pages through the final details no AcknowledgeTaskResult
// has marked, oldest first, filtered by TaskNo, DomainName, InstanceId and
// TaskResultStatus (2 succeeded, 3 failed).
func (s *Server) pollTaskResult(c *actionCall) (any, *gatewayError) {
	num, size, err := s.pageParams(c.p)
	if err != nil {
		return nil, err
	}
	want := -1
	if v := c.p["TaskResultStatus"]; v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || (n != 2 && n != 3) {
			return nil, errInvalid("TaskResultStatus")
		}
		want = n
	}
	key := ""
	if v := strings.TrimSpace(c.p["DomainName"]); v != "" {
		key = wire.CanonicalName(v)
	}
	taskNo, instance, lang := c.p["TaskNo"], c.p["InstanceId"], c.p["Lang"]
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	var list []*detail
	for _, t := range s.tasks {
		if taskNo != "" && t.no != taskNo {
			continue
		}
		for _, d := range t.details {
			st := d.status(c.now)
			if st < 2 || s.fam.acked[d] || (want >= 0 && st != want) ||
				(key != "" && d.key != key) || (instance != "" && d.instance != instance) {
				continue
			}
			list = append(list, d)
		}
	}
	lo, hi, pi := paginate(c.reqID, len(list), num, size)
	resp := pollResponse{pageInfo: pi}
	resp.Data.TaskDetail = make([]pollItem, 0, hi-lo)
	for _, d := range list[lo:hi] {
		resp.Data.TaskDetail = append(resp.Data.TaskDetail, pollItem{detailHistoryItem: s.detailItem(d, c.now, lang)})
	}
	return resp, nil
}

type ackResponse struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	Result    int    `json:"Result" xml:"Result"`
}

// acknowledgeTaskResult marks the final details TaskDetailNo.N name, so
// that PollTaskResult no longer lists them; Result is how many it newly
// marked (unknown or unfinished details are left alone).
func (s *Server) acknowledgeTaskResult(c *actionCall) (any, *gatewayError) {
	want := map[string]bool{}
	for n := 1; c.p["TaskDetailNo."+strconv.Itoa(n)] != ""; n++ {
		want[c.p["TaskDetailNo."+strconv.Itoa(n)]] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	if s.fam.acked == nil {
		s.fam.acked = make(map[*detail]bool)
	}
	marked := 0
	for _, t := range s.tasks {
		for _, d := range t.details {
			if want[d.no] && !s.fam.acked[d] && d.status(c.now) >= 2 {
				s.fam.acked[d] = true
				marked++
			}
		}
	}
	return ackResponse{RequestID: c.reqID, Result: marked}, nil
}
