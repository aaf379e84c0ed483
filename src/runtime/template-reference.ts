// jinja2's `self` (runtime.TemplateReference): the name every template can read, whose items are the
// template's blocks. spanja has no `{% block %}`, so every attribute and item of it is Undefined.
import { PyObject, type Value } from "./value.ts";

/** The attributes a TemplateReference instance has in Python (`dir(self)`, Python 3.11): the sandbox
 *  refuses them as unsafe; any other name is simply missing. */
const PYTHON_ATTRS = new Set([
  "_TemplateReference__context",
  "__class__",
  "__delattr__",
  "__dict__",
  "__dir__",
  "__doc__",
  "__eq__",
  "__format__",
  "__ge__",
  "__getattribute__",
  "__getitem__",
  "__getstate__",
  "__gt__",
  "__hash__",
  "__init__",
  "__init_subclass__",
  "__le__",
  "__lt__",
  "__module__",
  "__ne__",
  "__new__",
  "__reduce__",
  "__reduce_ex__",
  "__repr__",
  "__setattr__",
  "__sizeof__",
  "__str__",
  "__subclasshook__",
  "__weakref__",
]);

export class TemplateReference extends PyObject {
  get typeName(): string {
    return "jinja2.runtime.TemplateReference object";
  }
  getAttr(): Value | undefined {
    return undefined;
  }
  toPyStr(): string {
    // `<TemplateReference {context.name!r}>`: transformers compiles with from_string, so the name is None
    return "<TemplateReference None>";
  }
  override isUnsafeAttr(name: string): boolean {
    return PYTHON_ATTRS.has(name);
  }
}

/** The one `self`: it holds no state, so every template and render can share it. */
export const TEMPLATE_REFERENCE = new TemplateReference();
