"""The demo data in Chinese, for an office whose default language is Simplified Chinese (ONSITE_DEFAULT_LOCALE).

The demo loaders pass their customers, addresses, devices, parts and notes through ``local``; codes, serials and
phone numbers are not in the table and stay as they are."""

from typing import Any

ZH = {
    # people
    "Li Wei": "李伟",
    "Zhang Min": "张敏",
    "Wang Fang": "王芳",
    "Chen Jing": "陈静",
    "Liu Yang": "刘洋",
    "Zhao Li": "赵丽",
    "Sun Hui": "孙慧",
    "Huang Lei": "黄磊",
    "Xu Ting": "徐婷",
    "Guo Peng": "郭鹏",
    "Zhou Qiang": "周强",
    "Qian Yue": "钱悦",
    "Lin Hua": "林华",
    "Dr. He Yun": "何云医生",
    "Ms. Feng Xue": "冯雪女士",
    # the second office
    "Onsite Service, Tianjin branch": "上门服务天津分公司",
    "6 Nanjing Road, Heping District, Tianjin 300041": "天津市和平区南京路6号 300041",
    "Heping\nHexi\nNankai\nBinhai": "和平区\n河西区\n南开区\n滨海新区",
    "Tianjin Harbour Clinic": "天津港口诊所",
    "Nankai Library": "南开图书馆",
    "21 Binhai Ave, Binhai, Tianjin": "天津市滨海新区滨海大道21号",
    "94 Weijin Rd, Nankai, Tianjin": "天津市南开区卫津路94号",
    "Probe image shows vertical stripes": "探头图像出现竖条纹",
    "Prints pages blank on one side": "打印页一面空白",
    "Dr. Wu Lan": "吴兰医生",
    "Mr. Zhao Gang": "赵刚老师",
    "Ms. Sun Li": "孙丽女士",
    "Chen Hua": "陈华",
    "Eng. Ma Jun": "马军工程师",
    "Eng. Gao Feng": "高峰工程师",
    "Dr. Wu": "吴医生",
    "Dr. Sun": "孙医生",
    "Dr. Sun Li": "孙立",
    "Shunyi Water Works": "顺义水厂",
    "Mr. Ma Jun": "马军",
    "3 Fuqian St, Shunyi, Beijing": "北京市顺义区府前街3号",
    "Chaoyang Art Centre": "朝阳艺术中心",
    "Ms. Qian Yu": "钱雨女士",
    "9 Jiuxianqiao Rd, Chaoyang, Beijing": "北京市朝阳区酒仙桥路9号",
    # customers and sites
    "Beijing Union Hospital": "北京协和医院",
    "Haidian Middle School": "海淀中学",
    "Tongzhou Water Works": "通州自来水厂",
    "Chen Family": "陈家",
    "Yanqing Power Station": "延庆变电站",
    "Fengtai Substation": "丰台变电站",
    "6 Nanyuan Rd, Fengtai, Beijing": "北京市丰台区南苑路6号",
    "Relay cabinet RC-12": "继电保护柜 RC-12",
    "Install and commission two relay cabinets": "安装调试两面继电保护柜",
    "Beijing Union Clinic": "北京协和门诊部",
    "Union Clinic": "协和门诊部",
    "Beijing Union Lab": "北京协和实验室",
    "Haidian Clinic": "海淀诊所",
    "Analyser AN-7": "分析仪 AN-7",
    "How to recalibrate the analyser after moving it to another room?": "分析仪搬到另一个房间后如何重新校准？",
    "The projector shows a lamp warning after the lamp was changed": "更换灯泡后投影仪仍显示灯泡警告",
    "Chaoyang Print Shop": "朝阳图文快印店",
    "Xicheng School": "西城小学",
    "1 Shuaifuyuan, Dongcheng, Beijing": "北京市东城区帅府园1号",
    "15 Zhongguancun St, Haidian, Beijing": "北京市海淀区中关村大街15号",
    "88 Xinhua Rd, Tongzhou, Beijing": "北京市通州区新华路88号",
    "Building 3, Wangjing, Chaoyang, Beijing": "北京市朝阳区望京3号楼",
    "Power station road, Yanqing, Beijing": "北京市延庆区电厂路",
    "1 Chang'an Ave": "长安街1号",
    "Beijing Union Lab, Beijing": "北京市东城区协和实验楼",
    "Haidian Clinic, Beijing": "北京市海淀区海淀诊所",
    "Chaoyang Print Shop, Beijing": "北京市朝阳区建国路图文快印店",
    "Xicheng School, Beijing": "北京市西城区西城小学",
    # devices and faults
    "Ultrasound XR-200": "超声诊断仪 XR-200",
    "Projector PJ-5": "投影仪 PJ-5",
    "Controller PLC-9": "控制器 PLC-9",
    "Printer LP-40": "打印机 LP-40",
    "Relay RX-3": "继电器 RX-3",
    "Screen stays black after power-on": "开机后屏幕一直黑屏",
    "Fan noise and shutdown after ten minutes": "风扇噪音大，运行十分钟后自动关机",
    "Alarm log shows intermittent sensor faults": "报警日志显示传感器间歇性故障",
    "Paper jam error with an empty tray": "纸盒为空却报卡纸",
    "Relay trips under normal load": "正常负载下继电器跳闸",
    "Does not power on": "无法开机",
    "Does not start": "无法启动",
    "No output on the 12 V rail": "12 V 输出无电压",
    "Sensor faults reproduce every 20 minutes; plant running on manual control.": (
        "传感器故障每 20 分钟重现一次；水厂目前手动控制运行。"
    ),
    "Remote log review; sensor cable replacement planned.": "已远程查看日志；计划更换传感器线缆。",
    "Automatic control back within one working day.": "一个工作日内恢复自动控制。",
    "Customer's own electrician fixed the wiring.": "客户自己的电工已修好线路。",
    # visit notes
    "Beeps three times and stops": "响三声后停机",
    "At start-up": "开机时",
    "Air-conditioned lab": "有空调的实验室",
    "Power supply unit failed": "电源模块损坏",
    "Replaced the power supply unit": "已更换电源模块",
    "Quick and tidy": "又快又整洁",
    # parts and stock places
    "Power supply 450 W": "电源模块 450 W",
    "Main board XR-200": "XR-200 主板",
    "Cooling fan 80 mm": "散热风扇 80 mm",
    "Station 1": "1号库位",
    "Station 2": "2号库位",
    # loan equipment
    "Loan laptop, 14-inch": "备用笔记本电脑（14 英寸）",
    "Loan printer, A4 laser": "备用打印机（A4 激光）",
    "Loan monitor, 24-inch": "备用显示器（24 英寸）",
    "Good, small scratch on the lid": "良好，机盖有轻微划痕",
    "Good": "良好",
    "Mr. Qian Bo": "钱波先生",
    "Laptop does not charge": "笔记本电脑无法充电",
    # a call-back (S2)
    "Ms. Guo Hong": "郭红女士",
    "Asks whether the XR-200 firmware update can be rolled back": "询问 XR-200 固件升级后能否回退",
    # price list
    "Diagnosis (labour)": "故障检测（人工）",
    "Repair labour, per hour": "维修人工（每小时）",
    "Software reinstallation": "软件重装",
    "Power supply unit": "电源模块",
    "Main board": "主板",
}

_active = [False]


def use_chinese(active: bool) -> None:
    _active[0] = active


def local(value: Any) -> Any:
    """``value`` (a string, or tuples, lists and dicts of them) with the table's Chinese when it is in use."""
    if not _active[0]:
        return value
    if isinstance(value, str):
        return ZH.get(value, value)
    if isinstance(value, tuple):
        return tuple(local(item) for item in value)
    if isinstance(value, list):
        return [local(item) for item in value]
    if isinstance(value, dict):
        return {key: local(item) for key, item in value.items()}
    return value
