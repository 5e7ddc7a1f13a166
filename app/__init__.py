"""政务大数据项目管理 (govdata): the county's government big-data project register."""

__version__ = "0.1.0"
APP_ID = "govdata"
APP_NAME = "政务大数据项目管理"
