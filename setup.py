"""Build the optional compiled parts: the HTML block walk, the tree-ensemble loop and the sparse product.

Everything else is in pyproject.toml.  Both extensions are optional: where they
cannot be built (no C compiler), the install still succeeds and sourcecheck runs
the pure-Python code that computes the same results, more slowly.
"""

from setuptools import Extension, setup


def _extensions() -> list:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError:  # built without the build requirements: pure Python
        return []
    exts = [
        Extension("sourcecheck.model._trees", ["src/sourcecheck/model/_trees.pyx"], optional=True),
        Extension("sourcecheck.segment._walk", ["src/sourcecheck/segment/_walk.pyx"],
                  include_dirs=lxml.get_include(), optional=True),
        Extension("sourcecheck._csr", ["src/sourcecheck/_csr.pyx"], optional=True),
    ]
    return cythonize(exts, compiler_directives={"language_level": "3"}, quiet=True)


setup(ext_modules=_extensions())
