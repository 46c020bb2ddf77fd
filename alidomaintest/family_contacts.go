package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/wire"
	"strings"
	"time"
)

func init() {
	actions["SaveBatchTaskForUpdatingContactInfoByRegistrantProfileId"] = actionDef{handle: (*Server).updateContactsByProfile}
	actions["SaveSingleTaskForUpdatingContactInfo"] = actionDef{handle: (*Server).updateContactsByProfile}
	actions["SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID"] = actionDef{handle: (*Server).updateContactsByProfile}
	actions["SaveBatchTaskForUpdatingContactInfoByNewContact"] = actionDef{handle: (*Server).updateContactsByNewContact}
	actions["QueryContactInfo"] = actionDef{handle: (*Server).queryContactInfo}
}

// contactFields are the fields of a domain's contact, as QueryContactInfo
// answers them (with CreateDate, when the contact was last set).
var contactFields = []string{
	"Address", "City", "Country", "Email", "PostalCode", "Province",
	"RegistrantName", "RegistrantOrganization", "TelArea", "TelExt", "Telephone",
	"ZhAddress", "ZhCity", "ZhProvince", "ZhRegistrantName", "ZhRegistrantOrganization",
}

// contactTypes are the contacts a domain has.
var contactTypes = map[string]bool{"registrant": true, "admin": true, "billing": true, "tech": true}

// contactFrom copies the contact fields of src, stamped with when.
func contactFrom(src map[string]string, when time.Time) map[string]string {
	c := make(map[string]string, len(contactFields)+1)
	for _, k := range contactFields {
		c[k] = src[k]
	}
	c["CreateDate"] = formatCST(when)
	return c
}

// domainItems are one task detail per domain name: failing with
// MsgDomainNotFound for a domain the account does not hold, else applying
// change to the domain once the detail succeeds. s.mu is not held.
func (s *Server) domainItems(names []string, change func(dom *domain)) []taskItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]taskItem, 0, len(names))
	for _, name := range names {
		key := wire.CanonicalName(name)
		it := taskItem{name: name}
		if s.domains[key] == nil {
			it.failMsg = MsgDomainNotFound
		} else {
			it.effect = func(s *Server) {
				if dom := s.domains[key]; dom != nil {
					change(dom)
				}
			}
		}
		items = append(items, it)
	}
	return items
}

// setContact sets the contact typ of dom.
func setContact(dom *domain, typ string, c map[string]string) {
	if dom.contacts == nil {
		dom.contacts = make(map[string]map[string]string)
	}
	dom.contacts[typ] = c
}

// updateContactsByProfile replaces a contact (the registrant, for
// SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID) of each domain
// with a registrant profile, which must be known and verified.
func (s *Server) updateContactsByProfile(c *actionCall) (any, *gatewayError) {
	typ := c.p["ContactType"]
	if c.action == "SaveTaskForUpdatingRegistrantInfoByRegistrantProfileID" {
		typ = "registrant"
	}
	if !contactTypes[typ] {
		return nil, errInvalid("ContactType")
	}
	s.mu.Lock()
	prof, err := s.profileID(c.p, "RegistrantProfileId")
	if err == nil {
		if refuse := s.regs.usable(prof.id); refuse != nil {
			err = refuse("RegistrantProfileId")
		}
	}
	var contact map[string]string
	if err == nil {
		contact = contactFrom(prof.fields, c.now)
	}
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}
	items := s.domainItems(fieldValues(catalogAction(c.action), c.p, "DomainName"), func(dom *domain) {
		setContact(dom, typ, contact)
	})
	t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

// updateContactsByNewContact replaces a contact of each domain with the
// fields given.
func (s *Server) updateContactsByNewContact(c *actionCall) (any, *gatewayError) {
	typ := c.p["ContactType"]
	if e := c.p["Email"]; e != "" && !strings.Contains(e, "@") {
		return nil, errInvalid("Email")
	}
	contact := contactFrom(c.p, c.now)
	items := s.domainItems(fieldValues(catalogAction(c.action), c.p, "DomainName"), func(dom *domain) {
		setContact(dom, typ, contact)
	})
	t := s.createTask(c.action, items, clientIP(c.p, c.r), c.now)
	return s.stateAnswer(c, map[string]any{"TaskNo": t.no})
}

// queryContactInfo answers a contact of a domain: the last one set, else
// the sample registrant every domain starts with.
func (s *Server) queryContactInfo(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	dom := s.domains[wire.CanonicalName(c.p["DomainName"])]
	if dom == nil {
		return nil, errDomainNotInAccount
	}
	contact := dom.contacts[c.p["ContactType"]]
	if contact == nil {
		contact = contactFrom(sampleProfile, dom.registered)
	}
	vals := make(map[string]any, len(contact))
	for k, v := range contact {
		vals[k] = v
	}
	return s.stateAnswer(c, vals)
}
