package alidomaintest

import (
	"encoding/base64"
	"github.com/alidomain/alidomain/internal/wire"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Domain groups (SaveDomainGroup, QueryDomainGroupList, DeleteDomainGroup,
// UpdateDomainToDomainGroup; the domain answers' DomainGroupId and
// DomainGroupName, QueryDomainList's DomainGroupId filter) and resource
// groups (ChangeResourceGroup; the domain answers' ResourceGroupId).

func init() {
	actions["SaveDomainGroup"] = actionDef{handle: (*Server).saveDomainGroup}
	actions["QueryDomainGroupList"] = actionDef{handle: (*Server).queryDomainGroupList}
	actions["DeleteDomainGroup"] = actionDef{handle: (*Server).deleteDomainGroup}
	actions["UpdateDomainToDomainGroup"] = actionDef{handle: (*Server).updateDomainToDomainGroup}
	actions["ChangeResourceGroup"] = actionDef{handle: (*Server).changeResourceGroup}
}

type domainGroup struct {
	id               int64
	name             string
	created, changed time.Time
}

// AddDomainGroup adds the domain group id named name (or renames it), as
// SaveDomainGroup would; SaveDomainGroup hands out ids above the largest
// added. Domains join it with the Group option or UpdateDomainToDomainGroup.
func (s *Server) AddDomainGroup(id int64, name string) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.putGroup(id, name, now)
}

// putGroup creates or renames a group, renaming it in its domains too.
// s.mu is held.
func (s *Server) putGroup(id int64, name string, now time.Time) *domainGroup {
	if s.fam.groups == nil {
		s.fam.groups = make(map[int64]*domainGroup)
	}
	g := s.fam.groups[id]
	if g == nil {
		g = &domainGroup{id: id, created: now}
		s.fam.groups[id] = g
	}
	g.name, g.changed = name, now
	s.fam.groupSeq = max(s.fam.groupSeq, id)
	sid := groupIDString(id)
	for _, d := range s.domains {
		if d.groupID == sid {
			d.groupName = name
		}
	}
	return g
}

// group returns the group id, also one that only the Group option named,
// or nil. s.mu is held.
func (s *Server) group(id int64) *domainGroup {
	if g := s.fam.groups[id]; g != nil {
		return g
	}
	sid := groupIDString(id)
	for _, d := range s.domains {
		if d.groupID == sid {
			return s.putGroup(id, d.groupName, d.registered)
		}
	}
	return nil
}

// adoptGroups makes the groups that only the Group option named known,
// so that they outlive their domains' moves. s.mu is held.
func (s *Server) adoptGroups() {
	for _, d := range s.domains {
		if n, err := strconv.ParseInt(d.groupID, 10, 64); err == nil {
			s.group(n)
		}
	}
}

type domainGroupResponse struct {
	RequestID         string `json:"RequestId" xml:"RequestId"`
	BeingDeleted      bool   `json:"BeingDeleted" xml:"BeingDeleted"`
	CreationDate      string `json:"CreationDate" xml:"CreationDate"`
	DomainGroupID     int64  `json:"DomainGroupId" xml:"DomainGroupId"`
	DomainGroupName   string `json:"DomainGroupName" xml:"DomainGroupName"`
	DomainGroupStatus string `json:"DomainGroupStatus" xml:"DomainGroupStatus"`
	ModificationDate  string `json:"ModificationDate" xml:"ModificationDate"`
	TotalNumber       int    `json:"TotalNumber" xml:"TotalNumber"`
}

// groupSize counts the group's domains. s.mu is held.
func (s *Server) groupSize(id int64) int {
	n, sid := 0, groupIDString(id)
	for _, d := range s.domains {
		if d.groupID == sid {
			n++
		}
	}
	return n
}

// saveDomainGroup creates a group named DomainGroupName, or renames the
// group DomainGroupId (an unknown one is InvalidParameter).
func (s *Server) saveDomainGroup(c *actionCall) (any, *gatewayError) {
	name := strings.TrimSpace(c.p["DomainGroupName"])
	if name == "" {
		return nil, errMissing("DomainGroupName")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	s.adoptGroups()
	var id int64
	if v := c.p["DomainGroupId"]; v != "" {
		n, ok := wireInt(v)
		if !ok || s.group(n) == nil {
			return nil, errInvalid("DomainGroupId")
		}
		id = n
	} else {
		s.fam.groupSeq++
		id = s.fam.groupSeq
	}
	g := s.putGroup(id, name, c.now)
	return domainGroupResponse{
		RequestID:         c.reqID,
		CreationDate:      formatCST(g.created),
		DomainGroupID:     g.id,
		DomainGroupName:   g.name,
		DomainGroupStatus: "COMPLETE",
		ModificationDate:  formatCST(g.changed),
		TotalNumber:       s.groupSize(g.id),
	}, nil
}

type domainGroupItem struct {
	BeingDeleted      bool   `json:"BeingDeleted" xml:"BeingDeleted"`
	CreationDate      string `json:"CreationDate" xml:"CreationDate"`
	DomainGroupID     string `json:"DomainGroupId" xml:"DomainGroupId"`
	DomainGroupName   string `json:"DomainGroupName" xml:"DomainGroupName"`
	DomainGroupStatus string `json:"DomainGroupStatus" xml:"DomainGroupStatus"`
	ModificationDate  string `json:"ModificationDate" xml:"ModificationDate"`
	TotalNumber       int    `json:"TotalNumber" xml:"TotalNumber"`
}

type domainGroupListResponse struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	Data      struct {
		DomainGroup []domainGroupItem `json:"DomainGroup" xml:"DomainGroup"`
	} `json:"Data" xml:"Data"`
}

// queryDomainGroupList lists the groups whose name contains
// DomainGroupName, by creation date (OrderKeyType CreationDate, the
// default) or modification date (ModificationDate), OrderByType ASC (the
// default) or DESC, ties by id; TotalNumber counts their domains.
func (s *Server) queryDomainGroupList(c *actionCall) (any, *gatewayError) {
	filter := c.p["DomainGroupName"]
	byChange := false
	switch strings.ToLower(c.p["OrderKeyType"]) {
	case "", "creationdate":
	case "modificationdate":
		byChange = true
	default:
		return nil, errInvalid("OrderKeyType")
	}
	desc := false
	switch strings.ToUpper(c.p["OrderByType"]) {
	case "", "ASC":
	case "DESC":
		desc = true
	default:
		return nil, errInvalid("OrderByType")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	s.adoptGroups()
	var list []*domainGroup
	for _, g := range s.fam.groups {
		if strings.Contains(g.name, filter) {
			list = append(list, g)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		ta, tb := a.created, b.created
		if byChange {
			ta, tb = a.changed, b.changed
		}
		if c := ta.Compare(tb); c != 0 {
			return (c < 0) != desc
		}
		return (a.id < b.id) != desc
	})
	resp := domainGroupListResponse{RequestID: c.reqID}
	resp.Data.DomainGroup = make([]domainGroupItem, 0, len(list))
	for _, g := range list {
		resp.Data.DomainGroup = append(resp.Data.DomainGroup, domainGroupItem{
			CreationDate:      formatCST(g.created),
			DomainGroupID:     groupIDString(g.id),
			DomainGroupName:   g.name,
			DomainGroupStatus: "COMPLETE",
			ModificationDate:  formatCST(g.changed),
			TotalNumber:       s.groupSize(g.id),
		})
	}
	return resp, nil
}

// deleteDomainGroup deletes the group DomainGroupId; its domains are left
// in no group. Deleting a group that is not there changes nothing, so that
// a delete sent again succeeds.
func (s *Server) deleteDomainGroup(c *actionCall) (any, *gatewayError) {
	id, ok := wireInt(c.p["DomainGroupId"])
	if !ok {
		return nil, errInvalid("DomainGroupId")
	}
	ip := clientIP(c.p, c.r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	s.adoptGroups()
	delete(s.fam.groups, id)
	sid := groupIDString(id)
	for _, d := range s.domains {
		if d.groupID == sid {
			d.groupID, d.groupName = "", ""
			s.logChange(d.name, "DeleteDomainGroup", "domain group: none", ip, c.now)
		}
	}
	return requestOnly{RequestID: c.reqID}, nil
}

// updateDomainToDomainGroup moves domains into the group DomainGroupId:
// those of DomainName.N with DataSource 1, those of FileToUpload with
// DataSource 2 (the Server reads it as base64 text, one domain a line,
// not as a spreadsheet). With Replace true the group's other domains leave
// it. An unknown group, or a domain the account lacks, refuses the whole
// call with InvalidParameter (the real codes are undocumented).
func (s *Server) updateDomainToDomainGroup(c *actionCall) (any, *gatewayError) {
	id, ok := wireInt(c.p["DomainGroupId"])
	if !ok {
		return nil, errInvalid("DomainGroupId")
	}
	replace, ok := wireBool(c.p["Replace"])
	if !ok {
		return nil, errInvalid("Replace")
	}
	var names []string
	switch c.p["DataSource"] {
	case "1":
		names = taskDomains(c)
		if len(names) == 0 {
			return nil, errMissing("DomainName.1")
		}
	case "2":
		raw := c.p["FileToUpload"]
		if raw == "" {
			return nil, errMissing("FileToUpload")
		}
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return nil, errInvalid("FileToUpload")
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				names = append(names, line)
			}
		}
	default:
		return nil, errInvalid("DataSource")
	}
	ip := clientIP(c.p, c.r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	s.adoptGroups()
	g := s.group(id)
	if g == nil {
		return nil, errInvalid("DomainGroupId")
	}
	moving := make(map[*domain]bool, len(names))
	for _, n := range names {
		d := s.domains[wire.CanonicalName(n)]
		if d == nil {
			return nil, errInvalid("DomainName")
		}
		moving[d] = true
	}
	sid := groupIDString(id)
	for _, d := range s.domains {
		switch {
		case moving[d]:
			if d.groupID != sid {
				s.logChange(d.name, "UpdateDomainToDomainGroup", "domain group: "+g.name, ip, c.now)
			}
			d.groupID, d.groupName = sid, g.name
		case replace && d.groupID == sid:
			d.groupID, d.groupName = "", ""
			s.logChange(d.name, "UpdateDomainToDomainGroup", "domain group: none", ip, c.now)
		}
	}
	g.changed = c.now
	return requestOnly{RequestID: c.reqID}, nil
}

type changeResourceGroupResponse struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	Result    string `json:"Result" xml:"Result"`
}

// changeResourceGroup moves the domain ResourceId (its instance id or its
// name) to the resource group NewResourceGroupId; an unknown one is
// InvalidParameter (the real code is undocumented).
func (s *Server) changeResourceGroup(c *actionCall) (any, *gatewayError) {
	rid, rg := strings.TrimSpace(c.p["ResourceId"]), strings.TrimSpace(c.p["NewResourceGroupId"])
	if rg == "" {
		return nil, errMissing("NewResourceGroupId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	d := s.domainByInstance(rid)
	if d == nil && rid != "" {
		d = s.domains[wire.CanonicalName(rid)]
	}
	if d == nil {
		return nil, errInvalid("ResourceId")
	}
	if d.fam.resourceGroupID() != rg {
		d.fam.resourceGroup = rg
		s.logChange(d.name, "ChangeResourceGroup", "resource group: "+rg, clientIP(c.p, c.r), c.now)
	}
	return changeResourceGroupResponse{RequestID: c.reqID, Result: "true"}, nil
}
