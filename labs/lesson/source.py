"""The code cells of a notebook, cut from the modules that run.

* `module_cell(name)`: a lab module's file as a `%%module NAME` cell (see
  `labs.lesson.kernel`), without its docstring (the notebook shows it as
  text above), its `if __name__ == "__main__":` block and `# noqa` markers.
* `function_cell(functions)`: some functions' source, headed by the imports
  of the names they use from their modules, so the cell runs on its own.
* `lab_dependencies(name)`: the modules of other labs that a lab module
  imports (12-1y builds with 12-1's `build`), shown before it.

Nothing here is a copy of lab or harness code: every cell is read from the
source file of the object that the harness itself runs.
"""

import ast
import builtins
import importlib
import importlib.util
import inspect
import re
import textwrap
import types

MAGIC = "%%module"
_NOQA = re.compile(r"\s*# noqa(: [A-Z0-9, ]+)?$")


def module_source(name):
    """The text of module `name`'s file."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ValueError(f"name must be an importable module, got {name!r}.")
    with open(spec.origin, encoding="utf-8") as file:
        return file.read()


def docstring(name):
    """Module `name`'s docstring, or ""."""
    return ast.get_docstring(ast.parse(module_source(name))) or ""


def module_body(name):
    """Module `name`'s code without docstring, main block and noqa markers."""
    text = module_source(name)
    tree = ast.parse(text)
    lines = text.splitlines()
    drop = set()
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(
            getattr(body[0], "value", None), ast.Constant) and isinstance(
            body[0].value.value, str):
        drop.update(range(body[0].lineno - 1, body[0].end_lineno))
    for node in body:
        if _is_main_block(node):
            drop.update(range(node.lineno - 1, node.end_lineno))
    kept = [_NOQA.sub("", line) for index, line in enumerate(lines)
            if index not in drop]
    return re.sub(r"\n{3,}", "\n\n\n", "\n".join(kept)).strip("\n")


def _is_main_block(node):
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__")


def module_cell(name):
    """The `%%module NAME` cell that runs module `name`'s code as `name`."""
    return f"{MAGIC} {name}\n{module_body(name)}"


def lab_dependencies(name):
    """Modules of other lab packages that module `name` imports, in order.

    Only `labs.<lab>.*` modules count; the harness and `compat` are the
    project's machinery, not course material.
    """
    own_package = name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(module_source(name))):
        candidates = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            candidates = [f"{node.module}.{alias.name}" for alias in node.names]
            candidates.append(node.module)
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        for candidate in candidates:
            if _is_lab_module(candidate) and not candidate.startswith(
                    own_package + ".") and candidate not in found:
                found.append(candidate)
                break
    return found


def _is_lab_module(name):
    parts = name.split(".")
    if len(parts) != 3 or parts[0] != "labs" or parts[1] in (
            "harness", "lesson", "migrate"):
        return False
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return False
    return spec is not None and spec.submodule_search_locations is None


def function_cell(functions):
    """The source of `functions`, headed by the imports of the names they
    use from their modules' globals (in the order first used)."""
    defined = {function.__name__ for function in functions}
    imports = []
    for function in functions:
        for line in _imports_of(function, defined):
            if line not in imports:
                imports.append(line)
    sources = [textwrap.dedent(inspect.getsource(function)).strip("\n")
               for function in functions]
    header = "\n".join(sorted(imports, key=_import_order))
    return "\n\n\n".join(([header] if header else []) + sources)


def _import_order(line):
    return (not line.startswith("import "), line)


def _imports_of(function, defined):
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    assigned = {node.id for node in ast.walk(tree)
                if isinstance(node, ast.Name)
                and not isinstance(node.ctx, ast.Load)}
    assigned |= {arg.arg for node in ast.walk(tree)
                 if isinstance(node, ast.arguments)
                 for arg in (node.posonlyargs + node.args + node.kwonlyargs
                             + [node.vararg, node.kwarg]) if arg is not None}
    assigned |= {node.name for node in ast.walk(tree) if isinstance(
        node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        name = node.id
        if name in defined or name in assigned or hasattr(builtins, name):
            continue
        if name not in function.__globals__:
            raise ValueError(f"{function.__qualname__} uses {name!r}, which "
                             f"its module does not define.")
        lines.append(_import_line(name, function.__globals__[name],
                                  function.__module__))
    return list(dict.fromkeys(lines))


def _import_line(name, value, home):
    if isinstance(value, types.ModuleType):
        module = value.__name__
        package, _, last = module.rpartition(".")
        if module == name:
            return f"import {module}"
        if package and last == name:
            return f"from {package} import {last}"
        return f"import {module} as {name}"
    module = getattr(value, "__module__", None)
    if module and getattr(value, "__qualname__", None) == name and \
            getattr(importlib.import_module(module), name, None) is value:
        return f"from {module} import {name}"
    return f"from {home} import {name}"
