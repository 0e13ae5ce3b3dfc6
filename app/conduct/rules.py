"""The conduct rules of the manuals (seed 002 技术服务行为规范, seed 000), as shipped on every office's card until
its manager words it otherwise: one rule a line."""

RULES_EN = """Greet the customer first, introduce yourself and be polite and warm.
Never smoke, drink alcohol, eat or drink on the customer's site.
Do not use the customer's phones, papers or equipment without permission.
Do not pry into private matters or criticise the customer's people or premises.
Put your phone on silent; listen to the customer without interrupting and note what matters.
Never argue with the customer; stay calm and report a disagreement to your supervisor.
Never shift blame or encourage complaints; escalate what you cannot solve, never hide a fault.
Never press the customer to declare satisfaction.
Never overcharge or charge without authority; explain the service policy openly.
Never sign for the customer; tidy the site and leave nothing behind."""

RULES_ZH = """见到客户主动打招呼、作自我介绍，使用礼貌用语，做到礼貌热情。
不允许在服务现场抽烟、饮酒、吃东西或喝饮料。
未经许可，不能使用客户的通讯设备、资料和办公设备。
不打听客户隐私，不评论客户的人员和场所。
手机关闭或设成静音；认真倾听，不轻易打断客户的谈话，重要事项要作记录。
不与客户争执，保持头脑冷静，必要时上报直接主管。
不推卸责任，不诱导投诉；不能解决的问题要及时升级，不允许隐瞒故障。
不强迫客户表示满意。
不乱收费、不擅自收费；耐心向客户解释服务政策。
严禁代替客户签字；清理现场，不遗留任何物品。"""
