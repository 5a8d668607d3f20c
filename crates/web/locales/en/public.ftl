# The public pages in English: the complaint forms, the compliment form, choosing the council,
# and the page shown once a form is sent. Project Fluent syntax (https://projectfluent.org).
# Messages used in templates may hold simple HTML (<strong>, a link); values given to them are
# escaped. Messages without markup are also used as plain text (field errors, headings).
# Every message here must be in ../cy/public.ftl too (a unit test checks).

## Every page

language-name = English
language-switch-label = Language
skip-link = Skip to main content
error-summary-title = There is a problem
error-prefix = Error:
footer-support-links = Support links
footer-complain = Make a complaint
footer-compliment = Pay a compliment
footer-api = API
footer-licence = Redress: complaints and compliments for social care.

## Dates: "Wednesday 25 November 2026"

long-date = { $weekday } { $day } { $month } { $year }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Choosing the council, and too many forms

choose-complaint-heading = Make a complaint
choose-compliment-heading = Pay a compliment
choose-council = Choose the council.
too-many-heading = Too many forms sent
too-many-complaints = Too many forms have been sent in the last hour. Please try again later, or phone or write to the council.
too-many-from-address = Too many forms sent from your connection: try again later
too-many-compliments = Too many forms sent: try again later

## The complaint form

complain-title = Make a complaint about children's services
complain-title-social-services = Make a complaint about social services
complain-title-social-work = Make a complaint about social work services
complain-title-social-care = Make a complaint about social care
complain-title-council = Make a complaint to the council
complain-intro-general = Use this form to complain about a service for you, or for someone you care for or act for.
complain-who-person = someone who receives, or has asked for, a service from us
complain-who-relative = a relative or carer
complain-who-representative = someone acting on their behalf, such as an advocate
complain-next-general = We will acknowledge your complaint within { $days } working days, and aim to respond by <strong>{ $date }</strong> if you send it today. If we need longer, we will tell you why and when to expect our response. If you are still unhappy after our final response, you can ask the { $ombudsman } to look at your complaint.
complain-next-general-no-acknowledgement = We aim to respond by <strong>{ $date }</strong> if you send it today. If we need longer, we will tell you why and when to expect our response. If you are still unhappy after our final response, you can ask the { $ombudsman } to look at your complaint.
complain-intro = Use this form to complain about a service for children and young people: social care, early help, fostering and adoption, special educational needs, or leaving care.
complain-who-heading = Who can complain
complain-who-child = a child or young person we look after or help, or who has left our care
complain-who-family = a parent, carer, foster carer, special guardian or relative
complain-who-behalf = someone acting on a child's behalf, such as an advocate
complain-young-version = If you are a child or young person, there is a <a class="govuk-link" href="{ $href }">simpler version of this form</a>.
complain-advocate-heading = Help from an advocate
complain-advocate-offer = We offer every child or young person who wants to complain a free, independent advocate to help them. Tick the box below and we will arrange one.
complain-next-heading = What happens next
complain-next = We will acknowledge your complaint within 3 working days. We aim to respond in full within 10 working days (by <strong>{ $date }</strong> if you send it today); for a complicated complaint this can be up to 20 working days, and we will tell you if so. If you are not satisfied with our response you can ask for an independent investigation, and after that a review panel.
honeypot-label = Leave this empty
name-label = Your full name
role-legend = Who are you?
email-label = Email address
email-hint = Give an email address, a phone number or a postal address, so we can reply.
phone-label = Phone number
address-label = Postal address
child-name-label = The child or young person's name, if it is about a child
summary-label = What is your complaint?
summary-hint = Say what happened, when, and who was involved.
outcome-label = What would you like us to do to put things right?
advocate-legend = Advocacy
advocate-yes = A child or young person would like an advocate
send-complaint = Send complaint

role-child = A child or young person
role-parent = Parent
role-carer = Carer
role-foster-carer = Foster carer
role-special-guardian = Special guardian
role-care-leaver = A young person who has left care
role-relative = Relative
role-advocate = An advocate acting for a child
role-other = Someone else

## The complaint form for children and young people

young-title = Tell us what's wrong
young-intro = If you are a child or young person and you are not happy with how we have looked after you or helped you, you can tell us. You will not get into trouble for complaining.
young-help-heading = Someone can help you
young-advocate = An <strong>advocate</strong> is someone who is on your side. They can help you say what you want to say, or say it for you. They do not work for the council's social workers. It is free.
young-advocate-how = Tick the box below if you would like an advocate, or ask your social worker, foster carer or teacher to help you. You can also call Coram Voice free on 0808 800 5792.
young-next = We will tell you we have got your message within 3 working days. We will try to sort things out and write back to you by <strong>{ $date }</strong>. If you are still not happy, you can ask for someone independent to look at it.
young-name-label = What is your name?
young-summary-label = What is wrong?
young-summary-hint = Tell us what happened and who was involved. Write as much or as little as you like.
young-outcome-label = What would make it better?
young-phone-hint = We need a phone number or an email address so we can get back to you. It can be a grown-up's.
young-advocate-legend = Would you like an advocate to help you?
young-advocate-yes = Yes, I would like an advocate
young-send = Send

## The complaint forms' errors

error-role = Select who you are
error-contact = Enter an email address, phone number or postal address so we can reply
error-contact-young = Enter a phone number or email address so we can get back to you
error-email-format = Enter an email address in the correct format, like name@example.com
error-phone-format = Enter a phone number, like 01632 960 001 or 07700 900 982
error-summary = Enter what your complaint is about
error-summary-young = Tell us what is wrong
too-long-complainant-name = Your name must be { $max } characters or fewer
too-long-child-name = The child's name must be { $max } characters or fewer
too-long-contact-email = Your email address must be { $max } characters or fewer
too-long-contact-phone = Your phone number must be { $max } characters or fewer
too-long-contact-address = Your address must be { $max } characters or fewer
too-long-summary = Your complaint must be { $max } characters or fewer
too-long-outcome-wanted = What you would like to happen must be { $max } characters or fewer

## The compliment form

compliment-title = Pay a compliment
compliment-intro = Tell us about someone who helped you or a service that worked well. We pass every compliment on to the team it is about.
compliment-team-label = Which team or service is it about?
compliment-team-unsure = I'm not sure
compliment-summary-label = Your compliment
compliment-consent = You may quote this, without my name, in the council's annual report
compliment-send = Send compliment
error-compliment = Enter your compliment
too-long-compliment = Your compliment must be { $max } characters or fewer

## Once a form is sent

done-thanks = Thank you
done-complaint-sent = Complaint sent
done-young-heading = We have got your message
done-reference = Your reference number
done-compliment = We have passed your compliment on to the team. Thank you for taking the time to tell us.
done-keep-reference = Keep your reference number: quote it if you contact us about this.
done-next-heading = What happens next
done-next = We will acknowledge it within { $days } working days, and respond by <strong>{ $date }</strong>. If we need longer, we will tell you why and when to expect our response.
done-next-no-acknowledgement = We will respond by <strong>{ $date }</strong>. If we need longer, we will tell you why and when to expect our response.
done-ombudsman = If you are still unhappy after our final response, you can ask the { $ombudsman } to look at your complaint. The Ombudsman is independent and free to use.
done-advocate = You asked for an advocate. We will contact you about arranging one.
done-finish = Finish
