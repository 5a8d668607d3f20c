# This is a first translation, for the council's Welsh translators to check before the Welsh
# pages are offered to the public (Welsh Language Standards: the Welsh must be at least as good
# as the English). It uses "chi" throughout, the children's form included; a council that
# writes to children with "ti" should change those messages.
# The public pages in Welsh: the complaint forms, the compliment form, choosing the council,
# and the page shown once a form is sent. Project Fluent syntax (https://projectfluent.org).
# Keep the message ids, the { $values } and any HTML as they are; translate only the words.
# Every message in ../en/public.ftl must be here too (a unit test checks).

## Every page

language-name = Cymraeg
language-switch-label = Iaith
skip-link = Neidio i'r prif gynnwys
error-summary-title = Mae problem wedi codi
error-prefix = Gwall:
footer-support-links = Dolenni cymorth
footer-complain = Gwneud cwyn
footer-compliment = Rhoi canmoliaeth
footer-api = API
footer-licence = Redress: cwynion a chanmoliaeth ar gyfer gofal cymdeithasol.

## Dates: "Dydd Mercher 25 Tachwedd 2026"

long-date = { $weekday } { $day } { $month } { $year }
weekday-1 = Dydd Llun
weekday-2 = Dydd Mawrth
weekday-3 = Dydd Mercher
weekday-4 = Dydd Iau
weekday-5 = Dydd Gwener
weekday-6 = Dydd Sadwrn
weekday-7 = Dydd Sul
month-1 = Ionawr
month-2 = Chwefror
month-3 = Mawrth
month-4 = Ebrill
month-5 = Mai
month-6 = Mehefin
month-7 = Gorffennaf
month-8 = Awst
month-9 = Medi
month-10 = Hydref
month-11 = Tachwedd
month-12 = Rhagfyr

## Choosing the council, and too many forms

choose-complaint-heading = Gwneud cwyn
choose-compliment-heading = Rhoi canmoliaeth
choose-council = Dewiswch y cyngor.
too-many-heading = Mae gormod o ffurflenni wedi'u hanfon
too-many-complaints = Mae gormod o ffurflenni wedi'u hanfon yn yr awr ddiwethaf. Rhowch gynnig arall arni nes ymlaen, neu ffoniwch neu ysgrifennwch at y cyngor.
too-many-from-address = Mae gormod o ffurflenni wedi'u hanfon o'ch cysylltiad: rhowch gynnig arall arni nes ymlaen
too-many-compliments = Mae gormod o ffurflenni wedi'u hanfon: rhowch gynnig arall arni nes ymlaen

## The complaint form

complain-title = Gwneud cwyn am wasanaethau plant
complain-title-social-services = Gwneud cwyn am wasanaethau cymdeithasol
complain-title-social-work = Gwneud cwyn am wasanaethau gwaith cymdeithasol
complain-title-social-care = Gwneud cwyn am ofal cymdeithasol
complain-title-council = Gwneud cwyn i'r cyngor
complain-intro-general = Defnyddiwch y ffurflen hon i gwyno am wasanaeth i chi, neu i rywun rydych yn gofalu amdano neu'n gweithredu ar ei ran.
complain-who-person = rhywun sy'n cael, neu sydd wedi gofyn am, wasanaeth gennym ni
complain-who-relative = perthynas neu ofalwr
complain-who-representative = rhywun sy'n gweithredu ar ei ran, fel eiriolwr
complain-next-general = Byddwn yn cydnabod eich cwyn o fewn { $days } diwrnod gwaith, a'n nod yw ymateb erbyn <strong>{ $date }</strong> os byddwch yn ei hanfon heddiw. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam a phryd i ddisgwyl ein hymateb. Os ydych chi'n dal yn anfodlon ar ôl ein hymateb terfynol, gallwch ofyn i { $ombudsman } edrych ar eich cwyn.
complain-next-general-no-acknowledgement = Ein nod yw ymateb erbyn <strong>{ $date }</strong> os byddwch yn ei hanfon heddiw. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam a phryd i ddisgwyl ein hymateb. Os ydych chi'n dal yn anfodlon ar ôl ein hymateb terfynol, gallwch ofyn i { $ombudsman } edrych ar eich cwyn.
complain-intro = Defnyddiwch y ffurflen hon i gwyno am wasanaeth i blant a phobl ifanc: gofal cymdeithasol, cymorth cynnar, maethu a mabwysiadu, anghenion addysgol arbennig, neu adael gofal.
complain-who-heading = Pwy all gwyno
complain-who-child = plentyn neu berson ifanc rydym yn gofalu amdano neu'n ei helpu, neu sydd wedi gadael ein gofal
complain-who-family = rhiant, gofalwr, gofalwr maeth, gwarcheidwad arbennig neu berthynas
complain-who-behalf = rhywun sy'n gweithredu ar ran plentyn, fel eiriolwr
complain-young-version = Os ydych chi'n blentyn neu'n berson ifanc, mae <a class="govuk-link" href="{ $href }">fersiwn symlach o'r ffurflen hon</a>.
complain-advocate-heading = Help gan eiriolwr
complain-advocate-offer = Rydym yn cynnig eiriolwr annibynnol am ddim i bob plentyn neu berson ifanc sydd eisiau cwyno, i'w helpu. Ticiwch y blwch isod a byddwn yn trefnu un.
complain-next-heading = Beth sy'n digwydd nesaf
complain-next = Byddwn yn cydnabod eich cwyn o fewn 3 diwrnod gwaith. Ein nod yw ymateb yn llawn o fewn 10 diwrnod gwaith (erbyn <strong>{ $date }</strong> os byddwch yn ei hanfon heddiw); ar gyfer cwyn gymhleth gall hyn fod hyd at 20 diwrnod gwaith, a byddwn yn dweud wrthych os felly. Os nad ydych yn fodlon â'n hymateb, gallwch ofyn am ymchwiliad annibynnol, ac ar ôl hynny am banel adolygu.
honeypot-label = Gadewch hwn yn wag
name-label = Eich enw llawn
role-legend = Pwy ydych chi?
email-label = Cyfeiriad e-bost
email-hint = Rhowch gyfeiriad e-bost, rhif ffôn neu gyfeiriad post, er mwyn i ni allu ateb.
phone-label = Rhif ffôn
address-label = Cyfeiriad post
child-name-label = Enw'r plentyn neu'r person ifanc, os yw'r gŵyn am blentyn
summary-label = Beth yw eich cwyn?
summary-hint = Dywedwch beth ddigwyddodd, pryd, a phwy oedd yn rhan ohono.
outcome-label = Beth hoffech chi i ni ei wneud i unioni pethau?
advocate-legend = Eiriolaeth
advocate-yes = Hoffai plentyn neu berson ifanc gael eiriolwr
send-complaint = Cyflwyno cwyn

role-child = Plentyn neu berson ifanc
role-parent = Rhiant
role-carer = Gofalwr
role-foster-carer = Gofalwr maeth
role-special-guardian = Gwarcheidwad arbennig
role-care-leaver = Person ifanc sydd wedi gadael gofal
role-relative = Perthynas
role-advocate = Eiriolwr sy'n gweithredu ar ran plentyn
role-other = Rhywun arall

## The complaint form for children and young people

young-title = Dywedwch wrthym beth sydd o'i le
young-intro = Os ydych chi'n blentyn neu'n berson ifanc a dydych chi ddim yn hapus â'r ffordd rydym wedi gofalu amdanoch neu wedi eich helpu, gallwch ddweud wrthym. Fyddwch chi ddim mewn trwbl am gwyno.
young-help-heading = Gall rhywun eich helpu
young-advocate = Mae <strong>eiriolwr</strong> yn rhywun sydd ar eich ochr chi. Gall eich helpu i ddweud beth rydych chi eisiau ei ddweud, neu ei ddweud ar eich rhan. Dydy eiriolwr ddim yn gweithio i weithwyr cymdeithasol y cyngor. Mae am ddim.
young-advocate-how = Ticiwch y blwch isod os hoffech gael eiriolwr, neu gofynnwch i'ch gweithiwr cymdeithasol, eich gofalwr maeth neu eich athro eich helpu. Gallwch hefyd ffonio Coram Voice am ddim ar 0808 800 5792.
young-next = Byddwn yn dweud wrthych ein bod wedi cael eich neges o fewn 3 diwrnod gwaith. Byddwn yn ceisio datrys pethau ac ysgrifennu atoch erbyn <strong>{ $date }</strong>. Os nad ydych chi'n hapus o hyd, gallwch ofyn i rywun annibynnol edrych arni.
young-name-label = Beth yw eich enw?
young-summary-label = Beth aeth o'i le?
young-summary-hint = Dywedwch wrthym beth ddigwyddodd a phwy oedd yn rhan ohono. Ysgrifennwch gymaint neu gyn lleied ag y mynnwch.
young-outcome-label = Beth fyddai'n gwella pethau?
young-phone-hint = Mae angen rhif ffôn neu gyfeiriad e-bost arnom er mwyn i ni allu cysylltu â chi. Gall fod yn rhif neu'n gyfeiriad oedolyn.
young-advocate-legend = Hoffech chi gael eiriolwr i'ch helpu?
young-advocate-yes = Hoffwn, hoffwn gael eiriolwr
young-send = Cyflwyno

## The complaint forms' errors

error-role = Dewiswch pwy ydych chi
error-contact = Rhowch gyfeiriad e-bost, rhif ffôn neu gyfeiriad post er mwyn i ni allu ateb
error-contact-young = Rhowch rif ffôn neu gyfeiriad e-bost er mwyn i ni allu cysylltu â chi
error-email-format = Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com
error-phone-format = Rhowch rif ffôn, fel 01632 960 001 neu 07700 900 982
error-summary = Rhowch fanylion eich cwyn
error-summary-young = Dywedwch wrthym beth sydd o'i le
too-long-complainant-name = Rhaid i'ch enw fod yn { $max } nod neu lai
too-long-child-name = Rhaid i enw'r plentyn fod yn { $max } nod neu lai
too-long-contact-email = Rhaid i'ch cyfeiriad e-bost fod yn { $max } nod neu lai
too-long-contact-phone = Rhaid i'ch rhif ffôn fod yn { $max } nod neu lai
too-long-contact-address = Rhaid i'ch cyfeiriad fod yn { $max } nod neu lai
too-long-summary = Rhaid i'ch cwyn fod yn { $max } nod neu lai
too-long-outcome-wanted = Rhaid i'r hyn yr hoffech iddo ddigwydd fod yn { $max } nod neu lai

## The compliment form

compliment-title = Rhoi canmoliaeth
compliment-intro = Dywedwch wrthym am rywun a wnaeth eich helpu neu am wasanaeth a weithiodd yn dda. Rydym yn rhannu pob canmoliaeth â'r tîm y mae'n sôn amdano.
compliment-team-label = Am ba dîm neu wasanaeth y mae?
compliment-team-unsure = Dydw i ddim yn siŵr
compliment-summary-label = Eich canmoliaeth
compliment-consent = Cewch ddyfynnu hyn, heb fy enw, yn adroddiad blynyddol y cyngor
compliment-send = Anfon canmoliaeth
error-compliment = Rhowch eich canmoliaeth
too-long-compliment = Rhaid i'ch canmoliaeth fod yn { $max } nod neu lai

## Once a form is sent

done-thanks = Diolch
done-complaint-sent = Rydym wedi cael eich cwyn
done-young-heading = Rydym wedi cael eich neges
done-reference = Eich cyfeirnod
done-compliment = Rydym wedi rhannu eich canmoliaeth â'r tîm. Diolch am roi o'ch amser i ddweud wrthym.
done-keep-reference = Cadwch eich cyfeirnod: nodwch ef os byddwch yn cysylltu â ni am hyn.
done-next-heading = Beth sy'n digwydd nesaf
done-next = Byddwn yn ei chydnabod o fewn { $days } diwrnod gwaith, ac yn ymateb erbyn <strong>{ $date }</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam a phryd i ddisgwyl ein hymateb.
done-next-no-acknowledgement = Byddwn yn ymateb erbyn <strong>{ $date }</strong>. Os bydd angen mwy o amser arnom, byddwn yn dweud wrthych pam a phryd i ddisgwyl ein hymateb.
done-ombudsman = Os ydych chi'n dal yn anfodlon ar ôl ein hymateb terfynol, gallwch ofyn i { $ombudsman } edrych ar eich cwyn. Mae'r Ombwdsmon yn annibynnol ac mae'n rhad ac am ddim.
done-advocate = Gwnaethoch ofyn am eiriolwr. Byddwn yn cysylltu â chi i drefnu un.
done-finish = Gorffen
