# The words of the web pages. Short sentences, plain words. Keep nl/pages.ftl in step.

## On every page

page-error-prefix = Error:
page-skip = Skip to the main content
page-nav-label = Language and account
page-other-language = Nederlands
page-sign-out = Sign out
page-footer = devicepool lends donated laptops, wi-fi dongles and software to students.
page-error-summary = There is a problem
page-optional = optional

## The front page

front-title = Kit for your course
front-what = We lend donated laptops, wi-fi dongles and software to students of tech courses. Your school asks for what you need. You pick it up at a hub near you.
front-ways-in = How to sign in
front-students = I am a student
front-students-how = We send you a link by email. You do not need a password.
front-others = I work for a school, a donor or the pool
front-others-how = Sign in with your email address and password.
front-api = Read how the API works

## Signing in with a password

login-title = Sign in
login-intro = Sign in with the email address and password of your account.
login-email = Email address
login-password = Password
login-button = Sign in
login-student = Are you a student? Sign in with a link by email.

## After signing in

start-title = You are signed in
start-signed-in-as = You are signed in as { $email }.
start-next-admin = As an administrator you manage organisations and accounts. The pages for this come soon. Until then, use the API.
start-next-staff = As pool staff you take in, wipe, grade and lend kit. The pages for this come soon. Until then, use the API.
start-next-school = As a school you enrol students and ask for kit. The pages for this come soon. Until then, use the API.
start-next-donor = As a donor you register kit and see what it does. The pages for this come soon. Until then, use the API.
start-next-student = Go to your kit to see your loans.
start-api = Do you build your own tools?

## When a page cannot be shown

error-home = Go to the start page
error-not-found-title = Page not found
error-not-found-text = We cannot find this page, or it is not yours. Check the address.
error-forbidden-title = Not allowed
error-forbidden-text = You may not do this. Did you come from another site? Open devicepool yourself and try again.
error-too-many-title = Too many attempts
error-too-many-text = { $minutes ->
    [one] You tried too often. Wait 1 minute and try again.
   *[other] You tried too often. Wait { $minutes } minutes and try again.
}
error-unavailable-title = Very busy right now
error-unavailable-text = We cannot answer right now. Try again in a minute.
error-bad-request-title = Something is wrong with the form
error-bad-request-text = We could not read what you sent. Go back and try again.
error-internal-title = Something went wrong on our side
error-internal-text = Please try again. If it keeps happening, tell the pool staff.

## Students sign in with a mailed link or code

student-sign-in-title = Sign in as a student
student-sign-in-intro = Fill in your email address. We send you a link to sign in. You do not need a password.
student-sign-in-email-hint = Use the address your school has for you.
student-sign-in-button = Send me a link
student-sign-in-button-code = Sign in with the code
student-sign-in-other = Do you work for a school, a donor or the pool? Sign in with your password.
check-mail-title = Check your mail
check-mail-sent = If this address belongs to a student, we have sent a mail with a link. The link works once, for { $minutes } minutes.
check-mail-code-title = Or type the code
check-mail-code-intro = Do you read your mail on another phone or computer? Then type the code from the mail here.
check-mail-code = Code from the mail
check-mail-code-hint = Six digits, for example 123456.
check-mail-again = No mail? Ask for a new link.
link-title = Sign in
link-intro = Press the button to sign in on this phone or computer.
link-button = Sign in
link-used-title = This link does not work any more

link-used-again = Send me a new link

## My kit

my-kit-title = My kit
my-kit-nothing = You have no kit and no open requests. Your school asks for kit for you.
my-kit-where = Where
my-kit-pick-up-by = Pick it up by { $day }.
my-kit-until = You may keep it until { $day }.
my-kit-bring-back = Bring this back with it: { $items }.
my-kit-requests = What your school asked for
kind-laptop = Laptop
kind-connectivity = Wi-fi dongle
kind-licence = Software

## Choosing a password

login-forgot = Forgot your password?
password-invitation-title = Choose your password
password-reset-title = Choose a new password
password-intro = Choose a password for your account. You sign in with it from now on.
password-new = New password
password-hint = At least 12 characters. A short sentence is easy to remember.
password-button = Save and sign in
forgot-title = Forgot your password?
forgot-intro = Fill in the email address of your account. We send you a link to choose a new password.
forgot-button = Send me a link
forgot-sent = If this address has an account with a password, we have sent a link. The link works once, for { $minutes } minutes.
link-used-invitation = This invitation works once, and only for a while. Ask the administrator for a new one.
link-used-reset = A link for a new password works once, and only for a short time. Ask for a new one.
link-used-sign-in = A link works once, and only for a short time. Ask for a new one. It comes in a minute.

## What a student does with a loan

back-to-kit = Back to my kit
my-kit-accept = Read and accept the loan agreement
my-kit-more-time = Ask for more time
my-kit-problem = Report a problem
my-kit-my-data = See what we know about you
accept-title = The loan agreement
accept-intro = Read the agreement. Then tick the box and press the button.
accept-checkbox = I have read the agreement and I agree.
accept-button = Accept the agreement
more-time-title = Ask for more time
more-time-now = You may keep it until { $day } now.
more-time-date = Until when do you need it?
more-time-date-hint = A date after the current one, at most { $days } days later. For example 31-07-2027.
more-time-reason = Why do you need more time?
more-time-button = Ask for more time
more-time-sent-title = We have your question
more-time-sent-text = The pool staff look at it soon. You get a mail with the answer.
problem-title = Report a problem
problem-what = What happened?
problem-broken = It is broken
problem-lost = I lost it
problem-stolen = It was stolen
problem-describe = What went wrong?
problem-describe-hint = For example: the screen stays black, or the charger does not work.
problem-button = Send the report
problem-broken-sent-title = We have your report
problem-broken-sent-text = The pool staff look for a replacement. You get a mail when you can pick it up.
problem-lost-sent-title = We have your report
problem-lost-sent-text = Thank you for telling us. The pool staff will contact you about what happens next.
my-data-title = What we know about you
my-data-intro = This is everything we keep about you. You can also download it as a file.
my-data-download = Download as a file (JSON)
my-kit-open = Open: { $hours }

## My account
page-my-account = My account
account-title = My account
account-email = Email address
account-role = You sign in as
account-role-admin = administrator
account-role-staff = pool staff
account-role-school = school coordinator
account-role-donor = donor
account-role-student = student
account-organisation = Organisation
account-language-title = Language
account-language-legend = In which language do you want to read the pages and our mail?
account-language-button = Save language
account-password-title = Change your password
account-current-password = Current password
account-password-button = Change password
account-everywhere-title = Sign out everywhere
account-everywhere-text = Did you sign in on a computer that is not yours? Then sign out on every device at once. You sign in again here after that.
account-everywhere-button = Sign out everywhere
account-done-language = Your language is saved.
account-done-password = Your new password is saved. You are signed out on your other devices.
