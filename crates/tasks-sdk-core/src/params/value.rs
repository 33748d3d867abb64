//! Any `serde::Serialize` value as the tree the styles expand: [`Value`].
//!
//! Not `serde_json::Value`: without serde_json's `preserve_order` feature (which this
//! crate does not turn on for its users) its objects sort their keys, and the styles
//! must send an object's members in the order the value serializes them (a struct's
//! fields in their declared order: `R,100,G,200,B,150`, not `B,150,G,...`).
//! The serializer below builds the tree serde_json would, in order: numbers as the text
//! serde_json writes for them, enums externally tagged, bytes as an array of numbers,
//! `None`, `()` and non-finite floats as null.

use std::fmt;

use serde::ser::{self, Serialize};

/// A serialized parameter value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// `null`, `None`, `()`: RFC 6570's "undefined".
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as the JSON text serde_json writes for it (`100`, `1.5`, `1e+20`).
    Number(String),
    /// A string.
    String(String),
    /// An array, in order.
    Array(Vec<Value>),
    /// An object, its members in the order they were serialized.
    Object(Vec<(String, Value)>),
}

impl Value {
    /// `value` serialized.
    pub(crate) fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
        value.serialize(ValueSerializer)
    }

    /// The text of a primitive (a string as it is, a number as JSON writes it,
    /// `true`/`false`), or the JSON text of an array or object.
    pub(crate) fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::String(s) | Value::Number(s) => s.as_str().into(),
            Value::Bool(true) => "true".into(),
            Value::Bool(false) => "false".into(),
            Value::Null | Value::Array(_) | Value::Object(_) => self.to_json().into(),
        }
    }

    /// The value as JSON text (compact, members in order).
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => write_json_string(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(out, key);
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// `s` as a JSON string literal, escaped as serde_json escapes it.
fn write_json_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).expect("a string always serializes"));
}

/// Why a value could not be serialized: its `Serialize` impl failed, or a map has a
/// key that is not a string, number or boolean.
#[derive(Debug)]
pub(crate) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// The number as serde_json writes it (`null` for a non-finite float).
fn number<N: Serialize>(n: N) -> Value {
    match serde_json::to_string(&n) {
        Ok(text) if text != "null" => Value::Number(text),
        _ => Value::Null,
    }
}

struct ValueSerializer;

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = SerializeArray;
    type SerializeTuple = SerializeArray;
    type SerializeTupleStruct = SerializeArray;
    type SerializeTupleVariant = SerializeTupleVariant;
    type SerializeMap = SerializeObject;
    type SerializeStruct = SerializeObject;
    type SerializeStructVariant = SerializeStructVariant;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(number(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::String(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::String(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Array(v.iter().map(|b| number(*b)).collect()))
    }
    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        Ok(Value::Object(vec![(
            variant.to_owned(),
            value.serialize(self)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SerializeArray, Error> {
        Ok(SerializeArray(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SerializeArray, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SerializeArray, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SerializeTupleVariant, Error> {
        Ok(SerializeTupleVariant(variant, Vec::with_capacity(len)))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<SerializeObject, Error> {
        Ok(SerializeObject {
            members: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<SerializeObject, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SerializeStructVariant, Error> {
        Ok(SerializeStructVariant(variant, Vec::with_capacity(len)))
    }
}

struct SerializeArray(Vec<Value>);

impl ser::SerializeSeq for SerializeArray {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Array(self.0))
    }
}

impl ser::SerializeTuple for SerializeArray {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SerializeArray {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

/// `{"Variant": [..]}`, as serde_json writes a tuple variant.
struct SerializeTupleVariant(&'static str, Vec<Value>);

impl ser::SerializeTupleVariant for SerializeTupleVariant {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.1.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(vec![(
            self.0.to_owned(),
            Value::Array(self.1),
        )]))
    }
}

struct SerializeObject {
    members: Vec<(String, Value)>,
    key: Option<String>,
}

impl ser::SerializeMap for SerializeObject {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // serde_json's rule: strings, and numbers and booleans written as strings.
        self.key = Some(match key.serialize(ValueSerializer)? {
            Value::String(s) | Value::Number(s) => s,
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(Error(
                    "an object key must be a string, a number or a boolean".to_owned(),
                ));
            }
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value was serialized before its key".to_owned()))?;
        self.members.push((key, value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.members))
    }
}

impl ser::SerializeStruct for SerializeObject {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.members
            .push((key.to_owned(), value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.members))
    }
}

/// `{"Variant": {..}}`, as serde_json writes a struct variant.
struct SerializeStructVariant(&'static str, Vec<(String, Value)>);

impl ser::SerializeStructVariant for SerializeStructVariant {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.1
            .push((key.to_owned(), value.serialize(ValueSerializer)?));
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(vec![(
            self.0.to_owned(),
            Value::Object(self.1),
        )]))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::Value;

    fn json<T: Serialize + ?Sized>(value: &T) -> String {
        Value::from_serialize(value).unwrap().to_json()
    }

    /// The tree writes back the JSON serde_json writes, members in the same order, for
    /// every kind of value serde has.
    #[test]
    fn the_tree_is_what_serde_json_writes() {
        #[derive(Serialize)]
        struct Color {
            #[serde(rename = "R")]
            r: u8,
            #[serde(rename = "G")]
            g: u8,
            #[serde(rename = "B")]
            b: u8,
        }
        #[derive(Serialize)]
        enum Shape {
            Dot,
            Circle(f64),
            Pair(i8, i8),
            Rect { w: u32, h: u32 },
        }
        #[derive(Serialize)]
        struct Unit;
        #[derive(Serialize)]
        struct Wrapper(&'static str);
        #[derive(Serialize)]
        struct Skips {
            #[serde(skip_serializing_if = "Option::is_none")]
            absent: Option<u8>,
            present: Option<u8>,
        }

        let color = Color {
            r: 100,
            g: 200,
            b: 150,
        };
        let mut keyed = BTreeMap::new();
        keyed.insert(2u8, "two");
        keyed.insert(1u8, "one");
        let cases: Vec<(String, String)> = vec![
            (json(&color), serde_json::to_string(&color).unwrap()),
            (
                json(&Shape::Dot),
                serde_json::to_string(&Shape::Dot).unwrap(),
            ),
            (
                json(&Shape::Circle(0.5)),
                serde_json::to_string(&Shape::Circle(0.5)).unwrap(),
            ),
            (
                json(&Shape::Pair(-1, 2)),
                serde_json::to_string(&Shape::Pair(-1, 2)).unwrap(),
            ),
            (
                json(&Shape::Rect { w: 1, h: 2 }),
                serde_json::to_string(&Shape::Rect { w: 1, h: 2 }).unwrap(),
            ),
            (json(&Unit), serde_json::to_string(&Unit).unwrap()),
            (
                json(&Wrapper("x")),
                serde_json::to_string(&Wrapper("x")).unwrap(),
            ),
            (
                json(&Skips {
                    absent: None,
                    present: None,
                }),
                r#"{"present":null}"#.to_owned(),
            ),
            (json(&keyed), serde_json::to_string(&keyed).unwrap()),
            (json(&(1u8, "a", true)), r#"[1,"a",true]"#.to_owned()),
            (json(&0.1f32), serde_json::to_string(&0.1f32).unwrap()),
            (json(&1e20f64), serde_json::to_string(&1e20f64).unwrap()),
            (json(&u128::MAX), u128::MAX.to_string()),
            (json(&i64::MIN), i64::MIN.to_string()),
            (json(&'é'), "\"é\"".to_owned()),
            (
                json("a\"b\\c\nd"),
                serde_json::to_string("a\"b\\c\nd").unwrap(),
            ),
            (json(&f64::NAN), "null".to_owned()),
            (json(&None::<u8>), "null".to_owned()),
            (json(&Some(3u8)), "3".to_owned()),
        ];
        for (ours, serde_json) in cases {
            assert_eq!(ours, serde_json);
        }
        assert_eq!(
            Value::from_serialize(&color).unwrap(),
            Value::Object(vec![
                ("R".to_owned(), Value::Number("100".to_owned())),
                ("G".to_owned(), Value::Number("200".to_owned())),
                ("B".to_owned(), Value::Number("150".to_owned())),
            ])
        );
    }

    #[test]
    fn a_map_with_a_key_that_is_no_string_number_or_boolean_is_an_error() {
        let mut map = BTreeMap::new();
        map.insert(vec![1u8], 1u8);
        let err = Value::from_serialize(&map).unwrap_err();
        assert_eq!(
            err.to_string(),
            "an object key must be a string, a number or a boolean"
        );
        // serde_json refuses it too.
        assert!(serde_json::to_string(&map).is_err());
    }
}
