package result

import (
	"encoding/base64"
	"encoding/json"
	"unicode/utf8"
)

// JSON strings hold text: encoding/json turns each byte that is not UTF-8
// into U+FFFD, so a binary reply would be lost. An event's data and a
// check's got that are not UTF-8 therefore also go out in base64, as
// data_base64 and got_base64, which decoding prefers: the bytes round-trip
// exactly, and readers that know only data still see text.

type eventJSON Event

type eventWire struct {
	eventJSON
	DataBase64 string `json:"data_base64,omitempty"`
}

// MarshalJSON adds data_base64 when Data is not UTF-8.
func (e Event) MarshalJSON() ([]byte, error) {
	w := eventWire{eventJSON: eventJSON(e)}
	if !utf8.ValidString(e.Data) {
		w.DataBase64 = base64.StdEncoding.EncodeToString([]byte(e.Data))
	}
	return json.Marshal(w)
}

// UnmarshalJSON restores the exact bytes from data_base64, when present.
func (e *Event) UnmarshalJSON(b []byte) error {
	var w eventWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Event(w.eventJSON)
	if w.DataBase64 != "" {
		raw, err := base64.StdEncoding.DecodeString(w.DataBase64)
		if err != nil {
			return err
		}
		e.Data = string(raw)
	}
	return nil
}

type checkJSON Check

type checkWire struct {
	checkJSON
	GotBase64 string `json:"got_base64,omitempty"`
}

// MarshalJSON adds got_base64 when Got is not UTF-8.
func (c Check) MarshalJSON() ([]byte, error) {
	w := checkWire{checkJSON: checkJSON(c)}
	if !utf8.ValidString(c.Got) {
		w.GotBase64 = base64.StdEncoding.EncodeToString([]byte(c.Got))
	}
	return json.Marshal(w)
}

// UnmarshalJSON restores the exact bytes from got_base64, when present.
func (c *Check) UnmarshalJSON(b []byte) error {
	var w checkWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*c = Check(w.checkJSON)
	if w.GotBase64 != "" {
		raw, err := base64.StdEncoding.DecodeString(w.GotBase64)
		if err != nil {
			return err
		}
		c.Got = string(raw)
	}
	return nil
}
