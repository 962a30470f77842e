"""How FixMyStreet's Open311.pm reads an Open311 XML answer, in Python.

FixMyStreet (perllib/Open311.pm, ``_get_xml_object``) parses every answer with
Perl's XML::Simple::XMLin and these options:

    ForceArray    => [service attribute value request error request_update]
    KeyAttr       => {}
    GroupTags     => {services => service, attributes => attribute,
                      values => value, service_requests => request,
                      errors => error, service_request_updates => request_update}
    SuppressEmpty => undef

and then reads, e.g., ``$obj->{request}->[0]->{service_request_id}``.
``xml_in`` reproduces XMLin's rules for attribute-free documents (the only kind
Open311 answers are): the root element is dropped (KeepRoot off); an element
with text only becomes that string; an empty one becomes None (SuppressEmpty =>
undef; whitespace-only text counts as empty); an element with children becomes a
dict, a child name that repeats or is in FORCE_ARRAY becomes a list; KeyAttr {}
means lists are never folded into dicts by "name"/"key"/"id"; a GroupTags
element below the root whose children are all the grouped tag is replaced by
the list of them (on the root it has no effect, as Open311.pm's comment says).
Parsed with ElementTree, as XML::Simple's parser (expat or libxml) would.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

GROUP_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "service_requests": "request",
    "errors": "error",
    "service_request_updates": "request_update",
}
FORCE_ARRAY = frozenset(GROUP_TAGS.values())


def _value(element: ET.Element, *, root: bool = False) -> Any:
    children = list(element)
    if not children:
        text = element.text or ""
        return text if text.strip() else None
    seen: dict[str, list[Any]] = {}
    for child in children:
        seen.setdefault(child.tag, []).append(_value(child))
    result = {
        tag: values if tag in FORCE_ARRAY or len(values) > 1 else values[0]
        for tag, values in seen.items()
    }
    # GroupTags folds an element into its parent's hash: the root has none.
    grouped = None if root else GROUP_TAGS.get(element.tag)
    if grouped and set(result) == {grouped}:
        return result[grouped]
    return result


def xml_in(text: bytes | str) -> Any:
    """XMLin($xml) with FixMyStreet's options; None where Perl would have undef."""
    root = ET.fromstring(text)  # noqa: S314 - the portal's own answers, in tests
    return _value(root, root=True)
