<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="zh_CN">
  <context>
    <name>ActionDialog</name>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="68" />
      <source>一级指标</source>
      <translation>一级指标</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="68" />
      <source>二级指标</source>
      <translation>二级指标</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="68" />
      <source>三级指标</source>
      <translation>三级指标</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="68" />
      <source>得分 / 分值</source>
      <translation>得分 / 分值</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="131" />
      <source>依据《政务大数据项目建设应用管理办法》{0}</source>
      <translation>依据《政务大数据项目建设应用管理办法》{0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="137" />
      <source>确认办理“{0}”？</source>
      <translation>确认办理“{0}”？</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="161" />
      <source>（默认）</source>
      <translation>（默认）</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="161" />
      <source>（请选择）</source>
      <translation>（请选择）</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="162" />
      <source>是</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="162" />
      <source>否</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="168" />
      <source>（不填）</source>
      <translation>（不填）</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="217" />
      <source>请填写{0}</source>
      <translation>请填写{0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="222" />
      <source>{0}应为数字</source>
      <translation>{0}应为数字</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="224" />
      <source>{0}应为整数</source>
      <translation>{0}应为整数</translation>
    </message>
    <message>
      <location filename="../../app/ui/actiondialog.py" line="236" />
      <source>合计 {0} 分，等级：{1}</source>
      <translation>合计 {0} 分，等级：{1}</translation>
    </message>
  </context>
  <context>
    <name>App</name>
    <message>
      <location filename="../../app/ui/app.py" line="118" />
      <source>本机 {0}</source>
      <translation>本机 {0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/app.py" line="119" />
      <source>共享 {0}</source>
      <translation>共享 {0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/app.py" line="138" />
      <source>（演示数据）</source>
      <translation>（演示数据）</translation>
    </message>
    <message>
      <location filename="../../app/ui/app.py" line="143" />
      <source>数据库未打开</source>
      <translation>数据库未打开</translation>
    </message>
    <message>
      <location filename="../../app/ui/app.py" line="146" />
      <location filename="../../app/ui/mainwindow.py" line="113" />
      <source>正在打开数据库…</source>
      <translation>正在打开数据库…</translation>
    </message>
    <message>
      <location filename="../../app/ui/app.py" line="185" />
      <source>连接共享数据库</source>
      <translation>连接共享数据库</translation>
    </message>
    <message>
      <location filename="../../app/ui/app.py" line="185" />
      <source>数据库口令：</source>
      <translation>数据库口令：</translation>
    </message>
  </context>
  <context>
    <name>Crash</name>
    <message>
      <location filename="../../app/ui/crash.py" line="54" />
      <source>（日志无法写入）</source>
      <translation>（日志无法写入）</translation>
    </message>
    <message>
      <location filename="../../app/ui/crash.py" line="55" />
      <source>程序出错</source>
      <translation>程序出错</translation>
    </message>
    <message>
      <location filename="../../app/ui/crash.py" line="56" />
      <source>很抱歉，程序遇到了意外错误，刚才的操作没有完成。

已保存的数据不受影响，您可以继续工作。若问题反复出现，请将下面的日志文件发给系统管理员：
{0}</source>
      <translation>很抱歉，程序遇到了意外错误，刚才的操作没有完成。

已保存的数据不受影响，您可以继续工作。若问题反复出现，请将下面的日志文件发给系统管理员：
{0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/crash.py" line="76" />
      <source>无法完成操作</source>
      <translation>无法完成操作</translation>
    </message>
  </context>
  <context>
    <name>DashboardPage</name>
    <message>
      <location filename="../../app/ui/dashboard.py" line="63" />
      <source>工作台</source>
      <translation>工作台</translation>
    </message>
    <message>
      <location filename="../../app/ui/dashboard.py" line="84" />
      <source>待办事项（双击打开）</source>
      <translation>待办事项（双击打开）</translation>
    </message>
    <message>
      <location filename="../../app/ui/dashboard.py" line="121" />
      <source>暂无待办事项</source>
      <translation>暂无待办事项</translation>
    </message>
    <message>
      <location filename="../../app/ui/dashboard.py" line="142" />
      <location filename="../../app/ui/register.py" line="49" />
      <source>总投资（万元）</source>
      <translation>总投资（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/dashboard.py" line="165" />
      <source>各年度项目投资（万元）</source>
      <translation>各年度项目投资（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/dashboard.py" line="169" />
      <source>各类别项目投资（万元）</source>
      <translation>各类别项目投资（万元）</translation>
    </message>
  </context>
  <context>
    <name>FirstRunWizard</name>
    <message>
      <location filename="../../app/ui/firstrun.py" line="33" />
      <source>本县和主管部门</source>
      <translation>本县和主管部门</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="34" />
      <source>这些名称印在表单和通知书上，以后可在“系统设置”中修改。</source>
      <translation>这些名称印在表单和通知书上，以后可在“系统设置”中修改。</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="42" />
      <source>县（区）名称</source>
      <translation>县（区）名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="43" />
      <source>主管部门全称</source>
      <translation>主管部门全称</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="44" />
      <source>主管部门简称</source>
      <translation>主管部门简称</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="45" />
      <source>财政部门</source>
      <translation>财政部门</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="46" />
      <source>发文字号前缀</source>
      <translation>发文字号前缀</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="61" />
      <source>数据存放位置</source>
      <translation>数据存放位置</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="62" />
      <source>只有一台电脑使用时选“本机”；多个科室同时使用时，连接同一台 PostgreSQL 服务器。</source>
      <translation>只有一台电脑使用时选“本机”；多个科室同时使用时，连接同一台 PostgreSQL 服务器。</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="64" />
      <source>本机（数据保存在 {0}）</source>
      <translation>本机（数据保存在 {0}）</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="66" />
      <source>共享数据库服务器（PostgreSQL）</source>
      <translation>共享数据库服务器（PostgreSQL）</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="84" />
      <source>服务器地址</source>
      <translation>服务器地址</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="84" />
      <source>端口</source>
      <translation>端口</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="85" />
      <source>数据库名</source>
      <translation>数据库名</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="85" />
      <location filename="../../app/ui/signin.py" line="42" />
      <source>用户名</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="86" />
      <location filename="../../app/ui/signin.py" line="43" />
      <source>口令</source>
      <translation>口令</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="90" />
      <source>口令只用于本次连接，不写入任何文件。</source>
      <translation>口令只用于本次连接，不写入任何文件。</translation>
    </message>
    <message>
      <location filename="../../app/ui/firstrun.py" line="124" />
      <source>首次使用设置</source>
      <translation>首次使用设置</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="57" />
      <source>本栏目的窗口尚未完成；相关操作可在项目页或命令行中办理。</source>
      <translation>本栏目的窗口尚未完成；相关操作可在项目页或命令行中办理。</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="140" />
      <source>文件(&amp;F)</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="141" />
      <source>新建项目(&amp;N)</source>
      <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="143" />
      <source>导入Excel(&amp;I)…</source>
      <translation>导入Excel(&amp;I)…</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="145" />
      <source>打印(&amp;P)…</source>
      <translation>打印(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="147" />
      <source>退出(&amp;X)</source>
      <translation>退出(&amp;X)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="153" />
      <source>编辑(&amp;E)</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="154" />
      <source>查找项目(&amp;F)</source>
      <translation>查找项目(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="157" />
      <source>转到(&amp;G)</source>
      <translation>转到(&amp;G)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="163" />
      <source>帮助(&amp;H)</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="164" />
      <source>关于(&amp;A)</source>
      <translation>关于(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="228" />
      <source>关于</source>
      <translation>关于</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="231" />
      <source>依据《政务大数据项目建设应用管理办法》（沁政办发〔2020〕42号），管理政务大数据项目从规划、审核立项到验收、运维和绩效评价的全过程。</source>
      <translation>依据《政务大数据项目建设应用管理办法》（沁政办发〔2020〕42号），管理政务大数据项目从规划、审核立项到验收、运维和绩效评价的全过程。</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="238" />
      <source>数据库：{0}</source>
      <translation>数据库：{0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/mainwindow.py" line="240" />
      <source>用户：{0}</source>
      <translation>用户：{0}</translation>
    </message>
  </context>
  <context>
    <name>Printing</name>
    <message>
      <location filename="../../app/ui/printing.py" line="37" />
      <source>打印预览 — {0}</source>
      <translation>打印预览 — {0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="50" />
      <source>共 {0} 页　表单编号 {1}</source>
      <translation>共 {0} 页　表单编号 {1}</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="51" />
      <source>共 {0} 页</source>
      <translation>共 {0} 页</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="53" />
      <source>打印…</source>
      <translation>打印…</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="56" />
      <source>另存为PDF…</source>
      <translation>另存为PDF…</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="59" />
      <source>关闭</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="74" />
      <source>另存为PDF</source>
      <translation>另存为PDF</translation>
    </message>
    <message>
      <location filename="../../app/ui/printing.py" line="117" />
      <source>正在生成表单…</source>
      <translation>正在生成表单…</translation>
    </message>
  </context>
  <context>
    <name>ProjectForm</name>
    <message>
      <location filename="../../app/ui/projectform.py" line="69" />
      <source>未填</source>
      <translation>未填</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="72" />
      <source>市县协同建设（第十二条）</source>
      <translation>市县协同建设（第十二条）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="84" />
      <source>项目名称 *</source>
      <translation>项目名称 *</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="85" />
      <source>实施单位 *</source>
      <translation>实施单位 *</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="86" />
      <source>项目类别 *</source>
      <translation>项目类别 *</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="87" />
      <source>建设性质 *</source>
      <translation>建设性质 *</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="88" />
      <source>年度 *</source>
      <translation>年度 *</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="89" />
      <source>建设内容</source>
      <translation>建设内容</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="90" />
      <source>建设周期（月）</source>
      <translation>建设周期（月）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="91" />
      <source>项目责任人</source>
      <translation>项目责任人</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="92" />
      <source>责任人电话</source>
      <translation>责任人电话</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="93" />
      <source>总投资（元） *</source>
      <translation>总投资（元） *</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="94" />
      <source>县级财政资金（元）</source>
      <translation>县级财政资金（元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="95" />
      <source>上级补助资金（元）</source>
      <translation>上级补助资金（元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="96" />
      <source>其他资金（元）</source>
      <translation>其他资金（元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="97" />
      <source>本年申请资金（元）</source>
      <translation>本年申请资金（元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="99" />
      <source>市级承担（元）</source>
      <translation>市级承担（元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="100" />
      <source>县级承担（元）</source>
      <translation>县级承担（元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="101" />
      <source>事权划分</source>
      <translation>事权划分</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="102" />
      <source>备注</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="155" />
      <source>请选择实施单位</source>
      <translation>请选择实施单位</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="157" />
      <source>请填写总投资</source>
      <translation>请填写总投资</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="192" />
      <source>登记项目</source>
      <translation>登记项目</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="199" />
      <source>登记</source>
      <translation>登记</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="242" />
      <source>保存修改</source>
      <translation>保存修改</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="305" />
      <source>保存冲突</source>
      <translation>保存冲突</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="309" />
      <source>载入他人保存的版本</source>
      <translation>载入他人保存的版本</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectform.py" line="310" />
      <source>继续编辑</source>
      <translation>继续编辑</translation>
    </message>
  </context>
  <context>
    <name>ProjectPage</name>
    <message>
      <location filename="../../app/ui/projectpage.py" line="81" />
      <source>时间</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="81" />
      <source>经办人</source>
      <translation>经办人</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="82" />
      <source>事项</source>
      <translation>事项</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="82" />
      <source>结果</source>
      <translation>结果</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="83" />
      <source>内容</source>
      <translation>内容</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="105" />
      <source>办理记录</source>
      <translation>办理记录</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="121" />
      <source>← 返回项目库</source>
      <translation>← 返回项目库</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="132" />
      <source>可办理：</source>
      <translation>可办理：</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="133" />
      <source>打印表单</source>
      <translation>打印表单</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="145" />
      <source>基本信息</source>
      <translation>基本信息</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="152" />
      <source>材料</source>
      <translation>材料</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="152" />
      <source>名称</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="153" />
      <source>收到日期</source>
      <translation>收到日期</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="167" />
      <source>历史</source>
      <translation>历史</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="206" />
      <source>{0}　{1}年度　{2}　{3}　总投资 {4} 万元（{5}）</source>
      <translation>{0}　{1}年度　{2}　{3}　总投资 {4} 万元（{5}）</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="223" />
      <source>完成</source>
      <translation>完成</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="223" />
      <source>被拒绝</source>
      <translation>被拒绝</translation>
    </message>
    <message>
      <location filename="../../app/ui/projectpage.py" line="302" />
      <source>请注意</source>
      <translation>请注意</translation>
    </message>
  </context>
  <context>
    <name>RegisterPage</name>
    <message>
      <location filename="../../app/ui/register.py" line="42" />
      <source>项目编号</source>
      <translation>项目编号</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="43" />
      <source>项目名称</source>
      <translation>项目名称</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="44" />
      <source>实施单位</source>
      <translation>实施单位</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="45" />
      <source>年度</source>
      <translation>年度</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="46" />
      <source>项目类别</source>
      <translation>项目类别</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="47" />
      <source>建设性质</source>
      <translation>建设性质</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="48" />
      <source>状态</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="50" />
      <source>县级财政（万元）</source>
      <translation>县级财政（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="51" />
      <source>上级补助（万元）</source>
      <translation>上级补助（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="52" />
      <source>其他资金（万元）</source>
      <translation>其他资金（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="53" />
      <source>本年申请（万元）</source>
      <translation>本年申请（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="54" />
      <source>批复金额（万元）</source>
      <translation>批复金额（万元）</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="55" />
      <source>责任人</source>
      <translation>责任人</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="73" />
      <source>项目库</source>
      <translation>项目库</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="78" />
      <source>搜索项目编号、名称、实施单位…（Ctrl+F）</source>
      <translation>搜索项目编号、名称、实施单位…（Ctrl+F）</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="83" />
      <source>全部年度</source>
      <translation>全部年度</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="84" />
      <source>全部单位</source>
      <translation>全部单位</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="85" />
      <source>全部状态</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="88" />
      <source>全部类别</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="93" />
      <source>列</source>
      <translation>列</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="99" />
      <source>新建项目</source>
      <translation>新建项目</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="102" />
      <source>导出Excel</source>
      <translation>导出Excel</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="105" />
      <source>打印台账</source>
      <translation>打印台账</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="211" />
      <source>显示 {0} / {1} 个项目</source>
      <translation>显示 {0} / {1} 个项目</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="215" />
      <source>　合计（万元）：</source>
      <translation>　合计（万元）：</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="225" />
      <source>导出项目台账</source>
      <translation>导出项目台账</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="225" />
      <source>项目台账.xlsx</source>
      <translation>项目台账.xlsx</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="236" />
      <source>已导出 {0} 个项目到 {1}</source>
      <translation>已导出 {0} 个项目到 {1}</translation>
    </message>
    <message>
      <location filename="../../app/ui/register.py" line="236" />
      <source>正在导出Excel…</source>
      <translation>正在导出Excel…</translation>
    </message>
  </context>
  <context>
    <name>SignInDialog</name>
    <message>
      <location filename="../../app/ui/signin.py" line="32" />
      <source>登录</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../app/ui/signin.py" line="51" />
      <source>演示数据库：用户名 reviewer（审核员）、finance、clerk、leader，口令 {0}</source>
      <translation>演示数据库：用户名 reviewer（审核员）、finance、clerk、leader，口令 {0}</translation>
    </message>
    <message>
      <location filename="../../app/ui/signin.py" line="67" />
      <source>请输入用户名和口令</source>
      <translation>请输入用户名和口令</translation>
    </message>
  </context>
  <context>
    <name>TaskManager</name>
    <message>
      <location filename="../../app/ui/tasks.py" line="145" />
      <source>取消</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../app/ui/tasks.py" line="146" />
      <source>请稍候</source>
      <translation>请稍候</translation>
    </message>
  </context>
  <context>
    <name>Widgets</name>
    <message>
      <location filename="../../app/ui/widgets.py" line="32" />
      <source>单位：{0}，如 1,234,567.89</source>
      <translation>单位：{0}，如 1,234,567.89</translation>
    </message>
    <message>
      <location filename="../../app/ui/widgets.py" line="65" />
      <source>金额不能为负数</source>
      <translation>金额不能为负数</translation>
    </message>
    <message>
      <location filename="../../app/ui/widgets.py" line="101" />
      <source>18位统一社会信用代码</source>
      <translation>18位统一社会信用代码</translation>
    </message>
  </context>
</TS>