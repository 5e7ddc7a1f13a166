"""Packages: everything under app/, plus the top-level resources/ folder shipped as app.resources."""

from setuptools import find_namespace_packages, setup

app_packages = find_namespace_packages(include=["app", "app.*"], exclude=["*.__pycache__"])
resource_packages = [
    "app.resources" + name[len("resources"):]
    for name in find_namespace_packages(include=["resources", "resources.*"], exclude=["*.__pycache__"])
]
package_dir = {name: name.replace("app.resources", "resources", 1).replace(".", "/") for name in resource_packages}
# the user guide and its pictures (帮助 → 用户手册) are shipped as app/resources/guide
guide_packages = {"app.resources.guide": "docs", "app.resources.guide.img": "docs/img"}
package_dir |= guide_packages
resource_packages += list(guide_packages)

setup(
    packages=app_packages + resource_packages,
    package_dir=package_dir,
    package_data={"": ["*"]},
    include_package_data=True,
)
