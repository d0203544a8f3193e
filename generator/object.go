package generator

import (
	"fmt"
	"time"
)

// Object is an ordered JSON object, used for the open bags of a payload
// (additional_attributes, custom_attributes, content_attributes, event_info,
// a channel row, changed_attributes values). Members are written in order.
//
// Values may be nil, string, *string, int, int64, float64, bool, time.Time
// (written as ISO 8601 with milliseconds), []string, []int, Object, []Object
// or []any.
type Object []Member

// Member is one key of an Object.
type Member struct {
	Key   string
	Value any
}

// Get returns the value of key and whether it is present.
func (o Object) Get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Value, true
		}
	}
	return nil, false
}

// With returns o with key set to v (replaced in place when present,
// appended otherwise). The receiver is not modified.
func (o Object) With(key string, v any) Object {
	out := make(Object, len(o), len(o)+1)
	copy(out, o)
	for i := range out {
		if out[i].Key == key {
			out[i].Value = v
			return out
		}
	}
	return append(out, Member{key, v})
}

// pyISO marks a time written as Python's isoformat (Swiftsell date values).
type pyISO time.Time

func (w *writer) value(v any) {
	switch v := v.(type) {
	case nil:
		w.null()
	case string:
		w.str(v)
	case *string:
		if v == nil {
			w.null()
		} else {
			w.str(*v)
		}
	case int:
		w.int(v)
	case int64:
		w.int64(v)
	case float64:
		w.float(v)
	case bool:
		w.bool(v)
	case time.Time:
		if v.IsZero() {
			w.null()
		} else {
			w.iso(v)
		}
	case pyISO:
		w.b = append(w.b, '"')
		w.b = appendPyISO(w.b, time.Time(v))
		w.b = append(w.b, '"')
	case []string:
		w.arr()
		for _, s := range v {
			w.elem()
			w.str(s)
		}
		w.aend()
	case []int:
		w.arr()
		for _, n := range v {
			w.elem()
			w.int(n)
		}
		w.aend()
	case Object:
		w.object(v)
	case []Object:
		w.arr()
		for _, o := range v {
			w.elem()
			w.object(o)
		}
		w.aend()
	case []any:
		w.arr()
		for _, x := range v {
			w.elem()
			w.value(x)
		}
		w.aend()
	default:
		panic(fmt.Sprintf("generator: unsupported value type %T", v))
	}
}

func (w *writer) object(o Object) {
	w.obj()
	for _, m := range o {
		w.key(m.Key)
		w.value(m.Value)
	}
	w.end()
}

func (w *writer) kobj(k string, o Object) {
	w.key(k)
	w.object(o)
}
