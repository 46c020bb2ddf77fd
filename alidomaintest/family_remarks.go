package alidomaintest

import "strings"

// Remarks: SaveBatchDomainRemark sets the Remark the domain answers show.

func init() {
	actions["SaveBatchDomainRemark"] = actionDef{handle: (*Server).saveBatchDomainRemark}
}

type requestOnly struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
}

// saveBatchDomainRemark sets (or, with an empty Remark, clears) the remark
// of the domains whose instance ids InstanceIds lists, comma-separated. An
// instance id the account lacks refuses the whole call with
// InvalidParameter (the real code is undocumented).
func (s *Server) saveBatchDomainRemark(c *actionCall) (any, *gatewayError) {
	var ids []string
	for _, id := range strings.Split(c.p["InstanceIds"], ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, errMissing("InstanceIds")
	}
	remark := c.p["Remark"]
	ip := clientIP(c.p, c.r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	doms := make([]*domain, 0, len(ids))
	for _, id := range ids {
		d := s.domainByInstance(id)
		if d == nil {
			return nil, errInvalid("InstanceIds")
		}
		doms = append(doms, d)
	}
	for _, d := range doms {
		d.remark = remark
		s.logChange(d.name, "SaveBatchDomainRemark", "remark: "+remark, ip, c.now)
	}
	return requestOnly{RequestID: c.reqID}, nil
}

// domainByInstance returns the account's domain with the instance id, or
// nil. s.mu is held.
func (s *Server) domainByInstance(id string) *domain {
	for _, d := range s.domains {
		if d.instanceID == id {
			return d
		}
	}
	return nil
}
