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
start-next-admin = As an administrator you add schools and donors and invite their people. You can also do all that pool staff do.
start-next-staff = As pool staff you take in, wipe, grade, share out, hand out and take back kit. Start at the desk, a scan session, matching or the list of what to do today.
start-next-school = As a school you enrol students and ask for kit for them.
start-next-donor = As a donor you pledge kit, add the devices and licences in it, and see what it does for students.
start-next-student = Go to your kit to see your loans.
start-go-students = Go to my students
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
check-mail-code-spent = The code was typed wrong too often, so it and the link in the mail do not work any more. We can send you a new mail.
check-mail-send-new = Send me a new mail
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
my-kit-pick-up-code = Your pick-up code is { $code }. Show it at the desk.
my-kit-until = You may keep it until { $day }.
my-kit-recalled = You said you do not use it now. Please bring it back by { $day }.
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
page-choose = Choose

## Steps of a request, and of a loan's history
step-waiting = Waiting
step-proposed = Kit found, being checked
step-ready-at-hub = Ready at the hub
step-picked-up = Picked up
step-returned = Returned
step-lost = Lost
step-cancelled = Cancelled
step-expired = Ended: the programme was over
history-accept = The student accepted the loan agreement.
history-handover = The student picked it up.
history-extend = The end date was changed.
history-request-extension = The student asked for more time.
history-approve-extension = More time was given.
history-refuse-extension = More time was refused.
history-return = It was brought back.
history-report-lost = It was reported lost.
history-write-off = It was written off.
history-lapse = It was not picked up in time.

## A school's students
students-title = My students
students-enrol = Enrol a student
students-upload = Upload a class list
students-report = School report
students-filter-label = Find students
students-search = Search by name or email address
students-filter-lacks = Lacks
students-filter-standing = Kit
students-standing-waiting = Waits for kit
students-standing-has-kit = Has kit
students-standing-overdue = Kit is overdue
students-filter-button = Show
students-filter-clear = Show everyone
students-none = You have no students yet. Enrol a student or upload a class list.
students-shown = Students { $first } to { $last } of { $matching }. Your school has { $all } in all.
students-caption = Your students, page { $page } of { $pages }
students-col-name = Name
students-col-lacks = Lacks
students-col-waiting = Waits for
students-col-kit = Has
students-lacks-nothing = Nothing
students-place = number { $place } in line, { $days ->
    [one] waiting 1 day
   *[other] waiting { $days } days
}
students-overdue = { $days ->
    [one] 1 day late
   *[other] { $days } days late
}
students-until = until { $day }
students-no-match = No student matches. Change the search or show everyone.
students-pages = Pages
students-previous = Previous page
students-next = Next page
students-page-of = Page { $page } of { $pages }
students-done-enrolled = The student is enrolled.
students-done-saved = The changes are saved.
students-done-requested = The request is in the queue. You see the place in line below.
students-done-cancelled = The request is cancelled.
students-done-erased = The data of the student is erased.
students-done-imported = { $count ->
    [one] 1 student is enrolled from the file.
   *[other] { $count } students are enrolled from the file.
}

## Enrol or edit a student
student-form-new-title = Enrol a student
student-form-edit-title = Change the details of a student
student-form-who = Who
student-form-name = Name
student-form-email = Email address
student-form-email-hint = The student signs in with this address.
student-form-language = Which language does the student read best?
student-form-programme = Programme
student-form-track = Track
student-form-start = First day
student-form-end = Last day
student-form-day-hint = For example 01-09-2026.
student-form-hub = Hub for picking up kit
student-form-hub-hint = The place closest to the student.
student-form-lacks = What the student lacks
student-form-lacks-legend = Tick what the student does not have.
student-form-lacks-laptop = A good laptop
student-form-lacks-connectivity = Reliable internet
student-form-lacks-software = The software for the course
student-form-group = Target group
student-form-group-hint = Only for figures without names.
student-form-save = Save changes
student-form-enrol = Enrol
track-coder = Coder
track-data-analyst = Data analyst
track-growth-hacker = Growth hacker
track-ux-designer = UX designer
track-tech-administrator = Tech administrator
track-other = Other
group-corporate-40-plus = People over 40 who retrain
group-underrepresented-academy = Groups the tech sector leaves out
group-unemployed = People without a job
group-sme-owner = Owners of a small business
group-overqualified = People who work below their level

## One student
student-back = Back to my students
student-programme = Programme
student-programme-dates = From { $start } to { $end }
student-request-kit = Ask for kit
student-edit = Change details
student-export = Download their data
student-erase = Erase their data
student-requests = Requests
student-col-what = What
student-col-asked-on = Asked on
student-col-step = Where it stands
student-col-actions = Actions
student-cancel-request = Cancel
student-no-requests = No kit was asked for yet.
student-loans = Kit on loan
student-agreement-accepted = The student accepted the loan agreement on { $day }.
student-agreement-open = The student has not accepted the loan agreement yet.
student-no-loans = The student has no kit from us yet.

## Erase a student
erase-title = Erase the data of { $name }
erase-back = Back to { $name }
erase-refused-title = This is not possible now
erase-refused-text = The student still has kit from us. Erase the data after the kit is back.
erase-removed-title = What we remove
erase-removed-name = The name and email address.
erase-removed-requests = Requests that are still open.
erase-removed-account = The account to sign in with.
erase-removed-texts = What the student wrote to us, like reasons and problems.
erase-kept-title = What we keep
erase-kept-history = Which kit was lent and when, without the name.
erase-kept-figures = Figures without names, for the reports.
erase-cannot-undo = You cannot undo this.
erase-button = Erase the data
erase-keep = No, keep the data

## Ask for kit
request-title = Ask for kit for { $name }
request-nothing-lacked = The student does not lack anything yet. First tick what they lack.
request-intro = We put the request in the queue. Students who need it most and soonest go first.
request-kind = What does the student need?
request-product = Which software
request-product-hint = Only for software. For example figma.
request-needed-by = Needed by
request-needed-by-hint = Empty means the first day of the programme.
request-travel-legend = Pick-up place
request-travel = The student can also pick it up at another hub.
request-button = Ask for kit

## Spreadsheet uploads
upload-row-column = Row { $row }, { $column }: { $message }
upload-row = Row { $row }: { $message }
column-name = name
column-email = email address
column-preferred-language = language
column-track = track
column-programme-start = first day
column-programme-end = last day
column-hub = hub
column-lacks-laptop = lacks a laptop
column-lacks-connectivity = lacks internet
column-lacks-software = lacks software
column-target-group = target group
column-kind = kind
column-serial-number = serial number
column-model = model
column-ram-gb = memory
column-storage-gb = storage
column-cpu = processor
column-screen-inches = screen
column-os = operating system
column-keyboard-layout = keyboard
column-charger-included = charger
column-carrier = network
column-data-allowance-gb = data bundle

## Upload a class list
import-title = Upload a class list
import-intro = Upload your class list as a CSV file. An Excel file saved as CSV with semicolons is fine too. We enrol nobody until every row is right.
import-file = Class list
import-file-hint = A CSV file, at most a few megabytes.
import-button = Upload and enrol
import-rows-title = These rows are not right
import-more-rows = { $count ->
    [one] And 1 more row.
   *[other] And { $count } more rows.
}
import-fix = Nobody is enrolled yet. Fix these rows in your file and upload it again.
import-columns-title = The columns of the file
import-columns-intro = The first row holds the names of the columns. Dutch names work too.
import-sample = Download a sample file
import-col-column = Column
import-col-what = What to fill in
import-col-needed = Needed
import-needed = yes
import-optional = no
import-column-name = The full name.
import-column-email = The email address. The student signs in with it.
import-column-preferred-language = nl or en.
import-column-track = coder, data_analyst, growth_hacker, ux_designer, tech_administrator or other.
import-column-programme-start = The first day, like 2026-09-01 or 01-09-2026.
import-column-programme-end = The last day, like 2027-06-30 or 30-06-2027.
import-column-hub = The name of the hub for picking up kit.
import-column-lacks-laptop = yes or no: the student has no good laptop.
import-column-lacks-connectivity = yes or no: the student has no reliable internet.
import-column-lacks-software = yes or no: the student lacks software for the course.
import-column-target-group = Only for figures without names. Leave it empty if you are not sure.
import-choose-file = Choose a file first.
import-too-large = The file is too large. Send at most { $megabytes } MB.
import-bad-rows = { $count ->
    [one] 1 row is not right. Nobody is enrolled.
   *[other] { $count } rows are not right. Nobody is enrolled.
}

## Donors: donations, devices, licences, labels
page-my-donations = My donations
page-our-impact = Our impact
page-my-students = My students
page-school-report = School report
page-yes = Yes
page-no = No
start-go-donations = Go to my donations
donations-title = My donations
donations-pledge = Pledge a donation
donations-impact = See our impact
donations-none = You have not pledged a donation yet. Pledge one, then add the devices and licences in it.
donations-col-pledged-on = Donation
donations-col-state = Where it is
donations-col-items = What is in it
donations-col-in-service = In service
donations-pledged-on = Pledged on { $day }
donations-expected = we expect it on { $day }
donations-items = { $devices ->
    [one] 1 device
   *[other] { $devices } devices
}, { $licences ->
    [one] 1 licence
   *[other] { $licences } licences
}
donation-state-pledged = Pledged, not at a hub yet
donation-state-received = Received at a hub
donation-done-pledged = Your donation is pledged. Now add the devices and licences in it.
donation-done-device = The device is added. Print its label and stick it on the device.
donation-done-imported = { $count ->
    [one] 1 device is added.
   *[other] { $count } devices are added.
} Print the labels and stick them on the devices.
donation-done-licence = The licence is added. We do not show the key again.
donation-back = Back to my donations
donation-back-one = Back to the donation
donation-title = Donation of { $day }
donation-upload = Upload a list of devices
donation-add-device = Add one device
donation-add-licence = Add a licence
donation-labels = Print the labels
donation-stages = Where your items are
donation-stages-intro = We never show who uses your kit. You see only where it is.
donation-col-stage = Stage
donation-col-count = Number
donation-devices = Devices
donation-col-tag = Label
donation-col-kind = Kind
donation-col-model = Model
donation-col-serial = Serial number
donation-more-devices = Show more devices
donation-no-devices = There are no devices in this donation yet.
donation-licences = Licences
donation-no-licences = There are no licences in this donation yet.
stage-pledged = Pledged
stage-received = Received
stage-being-prepared = Being prepared
stage-in-service = In service
stage-retired = Retired
pledge-title = Pledge a donation
pledge-intro = Tell us where and when you bring the kit. You add the devices and licences next.
pledge-hub = Hub
pledge-hub-hint = Where you bring the kit.
pledge-date = Expected date
pledge-date-hint = For example 15-01-2027.
pledge-note = Note
pledge-note-hint = Anything the pool staff should know, like who to call.
pledge-button = Pledge the donation
device-form-title = Add a device
device-form-intro = Fill in one device.
device-form-upload-instead = Do you have a list? Upload it instead.
device-form-kind = What kind of device is it?
device-form-serial-hint = As it is on the sticker. Letters, numbers, - _ . and /.
device-form-model-hint = For example HP ProBook 450 G8.
device-form-laptop = Only for a laptop
device-form-dongle = Only for a wi-fi dongle
device-form-gb-hint = In GB, for example 16.
device-form-hub = Hub
device-form-hub-hint = Leave empty to use the hub of the donation.
device-form-button = Add the device
device-label-serial-number = Serial number
device-label-model = Model
device-label-ram-gb = Memory (GB)
device-label-storage-gb = Storage (GB)
device-label-cpu = Processor
device-label-screen-inches = Screen (inches)
device-label-os = Operating system
device-label-keyboard-layout = Keyboard layout
device-label-charger-included = Charger included
device-label-carrier = Mobile network
device-label-data-allowance-gb = Data a month (GB)
device-label-plan-ends-on = Last day of the data plan
device-label-weight-kg = Weight (kg)
device-form-weight-hint = If you weighed it, for example 1.6. We use it for the environmental figures.
device-import-title = Upload a list of devices
device-import-intro = Upload your list as a CSV file. An Excel file saved as CSV with semicolons is fine too. A list without a kind column is a list of laptops. We add nothing until every row is right.
device-import-file = List of devices
device-import-file-hint = A CSV file, at most a few megabytes.
device-import-button = Upload and add
device-import-fix = Nothing is added yet. Fix these rows in your file and upload it again.
device-import-columns-intro = The first row holds the names of the columns. Dutch names work too.
device-import-needed-laptop = for a laptop
device-column-kind = laptop or wifi_dongle. Leave the column out for a list of laptops.
device-column-serial-number = The serial number on the sticker.
device-column-model = The make and model.
device-column-ram-gb = Memory in GB, like 16.
device-column-storage-gb = Storage in GB, like 256.
device-column-cpu = The processor, like Intel Core i5.
device-column-screen-inches = The screen in inches, like 15.6 or 15,6.
device-column-os = The operating system, like Windows 11.
device-column-keyboard-layout = The keyboard, like US or AZERTY.
device-column-charger-included = yes or no.
device-column-carrier = Dongles: the mobile network.
device-column-data-allowance-gb = Dongles: data a month in GB.
device-column-plan-ends-on = Dongles: the last day of the data plan, like 2027-06-30.
device-column-weight-kg = Optional: the weight in kg, like 1.6 or 1,6. We use it for the environmental figures.
licence-form-title = Add a licence
licence-product = Product
licence-product-hint = What students ask for, like Figma.
licence-vendor = Maker
licence-seats = Seats
licence-seats-hint = How many people can use it at the same time.
licence-col-seats = Seats
licence-seats-used = { $used } of { $seats } in use
licence-expires = Last day
licence-expires-hint = Leave empty if it never ends.
licence-no-end = Does not end
licence-key = Licence key
licence-key-hint = Type it once. We never show it to you again, only to the pool staff.
licence-button = Add the licence
labels-title = Labels to print
labels-intro = { $count ->
    [one] 1 label. Print this page on A4 and stick the label on the device.
   *[other] { $count } labels. Print this page on A4 and stick each label on its device.
}
labels-more = This page holds the first 1000 labels.

## Reports as pages
report-from = From
report-to = To
report-show = Show
report-period = From { $from } to { $to }.
report-csv = Download as CSV
school-report-title = School report
school-report-waiting = Students who wait for kit
school-report-nobody-waits = Nobody waits for kit.
school-report-col-days = Days waiting
school-report-overdue = Kit that is overdue
school-report-nothing-overdue = No kit is overdue.
school-report-col-due = Due on
school-report-col-days-late = Days late
school-report-loans = Loans in this period
pool-report-set-loans = Class sets: devices lent to schools in this period
school-report-col-started = Started
school-report-col-returned = Returned
school-report-col-lost = Lost
school-report-col-active = On loan
school-report-col-overdue = Overdue
school-report-requests = Requests made in this period
school-report-no-requests = No requests were made in this period.
school-report-col-state = Where it stands
request-state-pending = Waiting
request-state-allocated = Kit set aside
request-state-fulfilled = Has the kit
request-state-cancelled = Cancelled
request-state-expired = Ended before kit was found
impact-title = Our impact
impact-from = First month
impact-to = Last month
impact-from-hint = The report starts on the first day of this month.
impact-to-hint = The report ends on the last day of this month.
impact-students = Students your kit reached
impact-reached = Students who had your kit
impact-completed = Of them, finished their programme
impact-loan-months = Months of loans
impact-fewer-than = fewer than { $min }
impact-why-link = Why this number is hidden
impact-why-hidden = "Fewer than { $min }": we hide numbers about fewer than { $min } students, and sometimes one more number, so that nobody can be recognised.
impact-kit = Your kit now
impact-chart-title = Your kit in service and with students now
impact-kind-laptops = Laptops
impact-kind-dongles = Wi-fi dongles
impact-donated = Donated
impact-received = Received
impact-in-service = In service
impact-with-students = With students
impact-retired = Retired or lost
impact-no-kit = You have not donated devices yet.
impact-environment = Reuse and recycling
impact-reused = Devices reused (each loan counts once)
impact-kg-reused = Weight reused (kg)
impact-kg-by-default = { $kg } kg of it is an estimate: not weighed
impact-recycled = Sent to a certified recycler
impact-recycled-value = { $devices ->
    [0] None
    [one] 1 device, { $kg } kg
   *[other] { $devices } devices, { $kg } kg
}
impact-co2e = CO2e avoided, estimate (kg)
impact-co2e-basis = This is an estimate, so we show a range. Making a new laptop causes CO2e. When a student borrows a used laptop, no new laptop has to be made for them. So part of that CO2e is not caused. This is not a cut in your own company's emissions.
impact-factor-set = We worked this out with factor set { $version }. Its sources:
impact-by-track = Students by course
impact-by-group = Students by group
impact-by-school = Students by school
impact-col-group = Group
impact-col-students = Students
impact-seats-in-use = In use
track-not-recorded = Not recorded
group-not-recorded = Not recorded

## The staff's desk
desk-find-title = Find a device
desk-find-label = Asset tag or serial number
desk-find-hint = Scan the label, or type the code and press Enter.
desk-find-button = Find
desk-find-another = Find another device
desk-no-device = No device has the tag or serial number { $code }. Check the code and try again.
desk-several-devices = More than one device has the code { $code }. Choose one below.
desk-state = State
desk-grade-is = grade { $grade }
desk-donor = Donor
desk-missing = Missing accessories
desk-print-label = Print the label
desk-next = What you can do now
desk-no-steps = Nothing can be done with this device here. Loans are handed over and taken back at the counters.
desk-certificate = Certificate number
desk-certificate-hint = The number of the report from the erasure tool.
desk-method = How the data was erased
desk-method-clear = Overwritten (NIST clear)
desk-method-purge = The drive's own erase (NIST purge)
desk-tool = Erasure tool
desk-grade = Condition
desk-grade-a = A: as good as new
desk-grade-b = B: some wear
desk-grade-c = C: clear wear, works well
desk-hub = Hub
desk-hub-same = The hub it was expected at
desk-replaced = Accessories replaced
desk-reason = Reason
desk-note = Note
desk-history = History
desk-col-when = When
desk-col-step = Step
desk-col-details = Details
desk-step-refused = This step does not fit any more. Someone changed the device. Look at its state and try again.
desk-action-register = Registered
desk-action-receive = Receive
desk-action-wipe = Wipe the data
desk-action-grade = Grade
desk-action-release = Put in the pool
desk-action-reserve = Set aside
desk-action-hand-over = Handed over
desk-action-return = Brought back
desk-action-inspect = Inspect
desk-action-repair = Send for repair
desk-action-retire = Retire
desk-action-mark-lost = Mark as lost
desk-action-found = Found again
desk-action-report-lost = Reported lost
desk-action-write-off = Written off
desk-action-move = Move to another hub
desk-action-renew-plan = Renew the data plan
desk-action-lapse = Not picked up in time
desk-done-receive = Received. Now wipe the data.
desk-done-wipe = The data is wiped and the record is kept. Now grade it.
desk-done-grade = Graded. Now put it in the pool.
desk-done-release = It is in the pool.
desk-done-reserve = It is set aside.
desk-done-inspect = Inspected.
desk-done-repair = It is sent for repair.
desk-done-retire = It is retired.
desk-done-mark-lost = It is marked as lost.
desk-done-found = It is back. Start at intake again.
desk-done-move = It is moved.
desk-done-renew-plan = The data plan is renewed.
desk-done-return = Taken back. It waits for inspection.
device-state-pledged = Pledged
device-state-received = Received
device-state-wiped = Wiped
device-state-graded = Graded
device-state-available = In the pool
device-state-reserved = Set aside
device-state-on-loan = On loan
device-state-returned = Brought back
device-state-inspection = Being inspected
device-state-repair = In repair
device-state-retired = Retired
device-state-lost = Lost
accessory-charger = Charger
accessory-bag = Bag
accessory-mouse = Mouse
page-find-device = Find a device
scan-title = Scan devices one after another
scan-intro = Choose what to do. Then scan each device, or type its code and press Enter. Each scan is done at once.
scan-action = What do you do with each device?
scan-action-receive = Receive a donation
scan-action-wipe = Wipe the data
scan-action-grade = Grade
scan-action-release = Put in the pool
scan-action-return = Take back kit that is complete
scan-receive-legend = When you receive
scan-donation = Donation
scan-wipe-legend = When you wipe
scan-certificate = Report number of the erasure run
scan-certificate-hint = From the erasure tool. It is kept with every device as proof.
scan-grade-legend = When you grade
scan-return-legend = When you take kit back
scan-return-hint = Only for kit that came back with everything. Is something missing? Use the returns counter.
scan-start = Start scanning
scan-change = Choose another action
scan-counts = Done: { $done }. Refused: { $refused }.
scan-code-hint = Scan the label. The field is ready for the next one.
scan-button = Do it
scan-lines = Scanned
scan-done = Done
scan-refused = Refused
scan-end = End and see the summary
scan-summary-title = Summary
scan-summary = { $action }: { $done } done, { $refused } refused.
scan-refused-title = Refused
scan-again = Scan more
scan-unknown = No device has this code.
scan-ambiguous = More than one device has this code. Find it on its own page.
scan-other-donation = This device is not in the donation you receive.
scan-not-on-loan = This device is not out on a loan.
scan-not-now = Not possible now: it is { $state }.
scan-not-now-plain = Not possible now.
scan-code-empty = Scan a label or type a code.
page-scan = Scan
returns-title = Take kit back
returns-hint = Scan the label of the device that comes back.
returns-not-on-loan = No device with the code { $code } is out on a loan. Check the code, or find the device.
returns-due = It was due back on { $day }.
returns-accessories = What came back with it
returns-accessories-hint = Untick what is missing. We write it down, so the next loan gets a new one.
returns-condition = Condition
returns-condition-good = Good
returns-condition-worn = Worn
returns-condition-damaged = Damaged
returns-button = Take it back
returns-other = Another device
returns-done = { $tag } is back and waits for inspection.
returns-done-missing = Missing: { $missing }.
page-returns = Returns

## The hand-over counter
page-handover = Hand over
handover-title = Hand over kit
handover-find-label = Name, email or pick-up code
handover-find-hint = Type part of the student's name, their email, or the code in their mail. Then press Enter.
handover-none = No kit waits for { $typed }. Check the spelling, or ask for the code in their mail.
handover-matches = Kit that waits for pick-up
handover-by = pick up by { $day }
handover-done = Handed over. The loan has started.
handover-kit = Kit
handover-hub = Hub
handover-pick-up-by = Pick up by
handover-code = Pick-up code
handover-agreement = Loan agreement
handover-accepted = Accepted
handover-not-accepted = Not accepted yet
handover-read-title = Let the student read the agreement
handover-read-intro = Turn the screen to the student. They read the text below and tick the box themselves.
handover-agree = The student read the agreement here and agrees.
handover-accessories = What you give with it
handover-accessories-hint = Untick what you do not give. We check the same list when it comes back.
handover-button = Hand over
handover-other = Someone else

## Why the matching proposes a pair, or leaves a request unserved
match-laptop = Laptop with { $ram } GB RAM, grade { $grade }.
match-dongle = Wi-fi dongle, grade { $grade }.
match-seat = A { $product } licence seat.
match-own-hub = At the student's own hub.
match-other-hub = At { $hub }: the student can travel there.
match-terms = Priority { $priority } = urgency { $urgency } + waiting { $waiting } + needs { $lacks }. Cost { $cost } = travel { $travel } + grade { $grade } + extra RAM { $waste }.
match-offered = Offered when the device came into the pool.
match-by-hand = Chosen by pool staff.
match-unserved-no-hub = The student has no hub yet. The school can choose one.
match-unserved-no-laptop = No laptop with { $ram } GB RAM and { $storage } GB storage at a hub the student can reach.
match-unserved-no-dongle = No wi-fi dongle at a hub the student can reach.
match-unserved-no-seat = No free { $product } licence seat.
match-unserved-share = The school's share is in use: { $cap } { $kind ->
    [laptop] laptops
    [wifi_dongle] wi-fi dongles
   *[licence] licences
}.
match-unserved-outranked = All suitable kit went to requests with a higher priority.

## A matching round
page-matching = Matching
matching-title = Match kit to students
matching-intro = First try it: nothing is saved yet. You see who would get what, and why. Then run it and confirm each proposal.
matching-to-proposals = Proposals waiting for you
matching-kind = Kind of kit
matching-all-kinds = All kinds
matching-hub = Hub
matching-all-hubs = All hubs
matching-try = Try it
matching-would-go = { $count ->
    [one] 1 student would get kit
   *[other] { $count } students would get kit
}
matching-nothing = Nothing can go to anyone now.
matching-unserved = Still waiting, and why
matching-all-served = Everyone who asked gets kit.
matching-no-hub = Licences
matching-run-intro = Running sets the kit aside for these students. You confirm or reject each one after.
matching-run = Run it now
proposals-title = Proposals
proposals-intro = Confirm a proposal and the student gets a mail to pick it up. Reject it and the kit goes back to the pool.
proposals-to-matching = Try a new round
proposals-none = No proposals wait for you.
proposals-made = { $count ->
    [one] The round made 1 proposal.
   *[other] The round made { $count } proposals.
}
proposals-confirmed = { $count ->
    [one] 1 confirmed.
   *[other] { $count } confirmed.
}
proposals-rejected = { $count ->
    [one] 1 rejected.
   *[other] { $count } rejected.
}
proposals-skipped = { $count ->
    [one] 1 was decided at another desk already.
   *[other] { $count } were decided at another desk already.
}
proposals-confirm-all = Confirm all at { $hub }
proposals-reject-all = Reject all
proposals-confirm = Confirm
proposals-reject = Reject
proposals-confirm-one = Confirm for { $student }
proposals-reject-one = Reject for { $student }

## Fault reports and swaps
page-faults = Broken kit
faults-title = Broken kit
faults-intro = Students told us this kit is broken. When the student comes to the desk, open the report and swap the kit.
faults-none = No broken kit waits for a swap.
faults-reported = reported on { $day }
faults-swapped = Swapped: { $replacement } is now on loan, and { $broken } waits for repair.
fault-title = Broken kit
fault-back = All broken kit
fault-when = Reported on
fault-what = What is wrong
fault-swap-title = Swap it
fault-swap-intro = Take the broken kit back. Give the student a device of the same kind from the pool. We write down both in one step.
fault-replacement = Asset tag of the replacement
fault-replacement-hint = Scan the label of the device you give, or type its code and press Enter.
fault-swap-button = Swap
swap-not-lendable = { $code } cannot be lent now. Choose a device of the same kind that is in the pool.

## The lists staff work from
page-queues = To do
queues-title = To do today
queues-extensions = More time asked
queues-overdue = Overdue
queues-lapsing = Pick-up ends soon
queues-dead-mail = Mail not sent
queues-empty = Nothing here now.
queues-asks = Due on { $from }. Asks for { $to }.
queues-answer = Your answer to the student
queues-approve = Yes, give more time
queues-refuse = No
queues-approve-for = Yes, give more time to { $student }
queues-refuse-for = No for { $student }
queues-days-overdue = { $days ->
    [one] 1 day late. It was due on { $day }.
   *[other] { $days } days late. It was due on { $day }.
}
queues-pick-up-by = Must be picked up by { $day }.
queues-mail-failed = { $tries ->
    [one] We tried once and gave up.
   *[other] We tried { $tries } times and gave up.
}
queues-requeue = Try again
queues-requeue-for = Try again for { $address }
queues-done-approve = The student has more time and gets a mail.
queues-done-refuse = The student gets a mail with your answer.
queues-done-requeue = We try to send the mail again.
queues-done-gone = Someone else did this already. The list shows how it stands now.

## The pool report
page-pool-report = Pool report
pool-report-title = The pool
pool-report-queue = Requests that wait
pool-report-col-waiting = Waiting
pool-report-col-p50 = Half wait up to (days)
pool-report-col-p90 = Most wait up to (days)
pool-report-col-longest = Longest wait (days)
pool-report-devices = Devices now
pool-report-no-devices = There are no devices yet.
pool-report-col-state = Where it is
pool-report-col-grade = Grade
pool-report-col-count = Number
pool-report-licences = Licences now
pool-report-no-licences = There are no licences yet.
pool-report-col-product = Software
pool-report-col-seats = Seats
pool-report-col-in-use = In use

## The rules of a matching round
rules-back = Back to matching
rules-save = Save
matching-rules = Set a fair share per school, or travel costs between hubs.
matching-to-caps = Fair shares per school
matching-to-travel = Travel between hubs
caps-title = Fair shares per school
caps-intro = A school gets at most this much kit of one kind at a time. Kit set aside and kit on loan count.
caps-none = No school has a limit yet.
caps-line = at most { $cap }, now { $used }
caps-set = Set a limit
caps-school = School
caps-cap = At most
caps-cap-hint = A whole number. 0 means none for now.
travel-title = Travel between hubs
travel-intro = A student may get kit at another hub if they can travel there. A higher cost means we try that less.
travel-none = No travel between hubs is set yet. Students get kit at their own hub only.
travel-line = cost { $cost }
travel-set = Set a travel cost
travel-from = From hub
travel-to = To hub
travel-cost = Cost
travel-cost-hint = A whole number, the same both ways. 0 means as easy as the own hub.

## Hubs
page-hubs = Hubs
hubs-title = Hubs
hubs-intro = Students pick up kit at a hub and bring it back there. The mails show the address and opening hours.
hubs-new = Add a hub
hubs-none = There are no hubs yet.
hubs-open = Open: { $hours }
hub-form-title = A hub
hub-form-back = All hubs
hub-form-name = Name
hub-form-address = Address
hub-form-hours = Opening hours
hub-form-hours-hint = For example: Mon to Fri 10:00 to 17:00.

## Camera scanning (only where the browser can read QR codes)
camera-start = Scan with the camera
camera-stop = Stop the camera
camera-on = Hold the QR code of the label in front of the camera.
camera-error = The camera does not work here. Type the code instead.
camera-view = Camera picture
page-organisations = Organisations and accounts
orgs-title = Organisations
orgs-intro = Schools ask for kit for their students. Donors give kit. Here you add them and invite their people.
orgs-new = Add an organisation
orgs-schools = Schools
orgs-donors = Donors
orgs-none = None yet.
orgs-done-opened = The organisation is added. Now invite its people.
orgs-done-renamed = The new name is saved.
org-back = All organisations
org-new-title = Add an organisation
org-name = Name
org-kind = What kind of organisation is it?
org-kind-school = School
org-kind-donor = Donor
org-open = Add the organisation
org-people-school = Coordinators enrol students and ask for kit for them.
org-people-donor = Contacts pledge kit and see what it does for students.
org-rename-title = Change the name
org-rename-button = Save the name
people-title = People
people-none = No one yet.
people-col-email = Email address
people-col-role = Role
people-col-state = Status
people-col-action = What you can do
people-role-admin = Admin
people-role-staff = Pool staff
people-role-school = Coordinator
people-role-donor = Donor contact
people-role-student = Student
people-state-active = Can sign in
people-state-invited = Invited, no password yet
people-state-disabled = Disabled
people-disable = Disable { $email }
people-done-invited = The invitation is on its way. The link works for { $count } days.
people-done-disabled = The account is disabled.
invite-title = Invite someone
invite-intro = We send a mail with a link. With it, the person chooses a password.
invite-email = Email address
invite-email-hint = Their work address.
invite-language = Language of the mail
invite-button = Send the invitation
team-title = Pool staff and admins
team-intro = Pool staff handle the kit. Admins can also add organisations and invite people.
team-role = Role
team-role-staff = Pool staff
team-role-admin = Admin
disable-title = Disable { $email }
disable-back = Back
disable-sign-in = They can no longer sign in. Pages and tokens stop working at once.
disable-links = Links in their mail to set a password stop working.
disable-kept = What they did stays in the records.
disable-cannot-undo = You cannot undo this here. Invite them again with another address if needed.
disable-already = This account is disabled already.
disable-button = Disable the account
disable-keep = Keep the account
stage-locked = Locked: we need your help
device-state-locked = Locked
desk-action-mark-locked = Locked
desk-action-unlock = Unlocked
desk-action-destroy = To the recycler
desk-done-mark-locked = It is held out of the pool. We mailed the donor to ask them to unlock it.
desk-done-unlock = Unlocked. Now wipe the data.
desk-done-destroy = It goes to the recycler to be destroyed. The reference is kept.
desk-done-wipe-failed = The check after the wipe failed. The attempt is kept. Wipe it again, or send it to the recycler.
desk-tool-version = Version of the tool
desk-technique = How it was erased
desk-technique-hint = In the words of the tool, for example: overwrite or crypto erase.
desk-verification-method = How it was checked
desk-verification-method-hint = For example: full check or 10% sample.
desk-verification = The check after the wipe
desk-verification-passed = Passed: the data is gone
desk-verification-failed = Failed: data may be left
desk-media-serial = Serial number of the drive
desk-lock-reason = Why is it locked?
desk-locked-because = Locked because
lock-reason-firmware-password = A BIOS or firmware password
lock-reason-device-management = Still in device management (Intune, Jamf, …)
lock-reason-activation-lock = An activation lock
lock-reason-signed-in-account = Someone is still signed in
desk-recycler-ref = Reference of the recycler
desk-recycler-ref-hint = The number on the recycler's receipt or certificate.
scan-wipe-passed-only = Scan only devices whose check passed. Open a failed one at the desk.
desk-certificate-pdf = Erasure certificate (PDF)
donation-certificate-title = Proof that the data is gone
donation-certificate-intro = Every device of this donation with its serial number, how its data was erased and its stage now. File it with your asset register.
donation-certificate-pdf = Download the certificate (PDF)
donation-certificate-csv = Download the list (CSV)
erasure-report-title = Take in an erasure report
erasure-report-intro = Upload the report of the erasure tool as CSV. We match each row to a device by its serial number. If one row is wrong, we take in nothing.
erasure-report-file = The report (CSV)
erasure-report-file-hint = Columns: serial, result, method, tool and time. Version, verification, drive_serial and certificate may be there too.
erasure-report-button = Take in the report
erasure-report-done = Taken in. Passed and wiped: { $passed }. Failed: { $failed }.
erasure-report-failed-title = Failed: wipe again or send to the recycler
erasure-report-failed-intro = These devices stay out of the pool. Open each one to wipe it again, or to send it to the recycler.
desk-erasure-report = Take in an erasure report
reconciliation-title = Your asset list
reconciliation-back = Back to the donation
reconciliation-intro = Send us the serial numbers of the devices you give. We check them against what we receive. Then you can close your asset register.
reconciliation-summary = How your list stands
reconciliation-status-matched = Received
reconciliation-status-expected = Not received yet
reconciliation-status-missing = Missing: not in the delivery
reconciliation-status-unexpected = Received, not on your list
reconciliation-csv = Download the list (CSV)
reconciliation-list = Every serial number
reconciliation-col-reference = Your reference
reconciliation-col-status = Status
reconciliation-none = You have not sent a list yet.
reconciliation-send = Send a list
reconciliation-send-intro = A CSV file with a column "serial". A column "reference" with your own asset number may be added. A new list replaces the old one.
reconciliation-file = Your asset list (CSV)
reconciliation-file-hint = One device on each line. Save it from Excel as CSV.
reconciliation-button = Send the list
reconciliation-done-sent = { $count ->
    [one] We have your list with 1 serial number.
   *[other] We have your list with { $count } serial numbers.
}
donation-reconciliation-title = Your asset list
donation-reconciliation-intro = Check which of your serial numbers we received.
donation-reconciliation-counts = Received: { $matched }. Not received yet: { $expected }. Missing: { $missing }. Not on your list: { $unexpected }.
donation-reconciliation-link = Open your asset list
page-class-sets = Class sets
page-in-use = Still in use?
class-sets-title = Class sets
class-sets-school-intro = Does your school have no laptops for a course? Borrow a set for the whole class. Students who wait for their own kit still come first.
class-sets-staff-intro = Sets that schools borrow for a course. Offer a set only kit that no waiting student can take: the service checks this for you.
class-sets-ask = Ask for a class set
class-sets-none = Your school has not asked for a class set yet.
class-sets-none-here = None.
class-sets-to-offer = To offer
class-sets-offered = Offered, waiting for the school
class-sets-ready = Ready to hand over
class-sets-on-loan = On loan
class-set-line = { $reserved } of { $count } { $kind }, { $from } to { $to }
class-set-missing-count = { $count } missing
class-set-overdue = Overdue
class-set-back = Back to the class sets
class-set-form-title = Ask for a class set
class-set-form-intro = Tell us what the course needs. We tell you by mail how many devices we can lend.
class-set-course = Name of the course
class-set-course-hint = For example "Coding for beginners, group 2".
class-set-kind = What the class needs
class-set-count = How many
class-set-count-hint = 1 to { $max }.
class-set-starts = First day of the course
class-set-ends = Last day of the course
class-set-ends-hint = The devices come back on this day. At most { $weeks } weeks after the first day.
class-set-hub = Hub
class-set-hub-hint = Where you pick up the set and bring it back.
class-set-ask-button = Ask for the set
class-set-title = Class set: { $course }
class-set-state-requested = We have your request. We look for devices that no waiting student needs.
class-set-state-offered = Devices are ready for this set. Accept the agreement below, then pick up the set.
class-set-state-accepted = The set is ready to pick up at the hub.
class-set-state-on-loan = The set is at your school.
class-set-state-returned = Every device is back. Thank you.
class-set-state-cancelled = This set was cancelled.
class-set-held = { $reserved } of { $count } ready
class-set-missing-title = Still missing
class-set-devices = Devices in the set
class-set-col-device = Device
class-set-col-state = State
class-set-col-back = Back today
set-loan-reserved = Ready for the set
set-loan-active = At the school
set-loan-returned = Back
set-loan-lost = Lost
set-loan-written-off = Written off
class-set-accessories-missing = Missing: { $items }
class-set-return-intro = Tick each device that came back. Untick what is missing.
class-set-is-back = { $tag } is back
class-set-condition = Condition
class-set-return-button = Take these back
class-set-offer-intro = We hold free devices for this set that no waiting student can take.
class-set-offer-button = Offer the set
class-set-top-up-button = Top up the set
class-set-handover-intro = Hand over all { $count } devices at once. Each one is due back on the last day of the course.
class-set-handover-button = Hand over the set
class-set-agreement-title = The agreement for your school
class-set-agree = I accept this agreement for my school.
class-set-accept-button = Accept
class-set-cancel-button = Cancel this set
class-set-done-asked = We have your request. You get a mail when devices are ready.
class-set-done-accepted = Thank you. The set is ready to pick up.
class-set-done-offered = { $reserved } devices were set aside now.
class-set-done-handed-over = The set is handed over.
class-set-done-returned = The devices are back and wait for inspection.
class-set-done-cancelled = The set is cancelled. Its devices are back in the pool.
queues-class-sets = Class sets starting soon
queues-set-starts = starts on { $day }.
queues-set-short = { $short } of { $count } devices still missing.
queues-set-complete = All { $count } devices are ready.
scan-action-hand-over = Hand over a class set
scan-set-legend = When you hand over a class set
scan-set = Class set
scan-set-hint = Only sets the school has accepted. Scan every device of the set, then hand it over.
scan-set-end-hint = Scanned every device? Then hand the set over in one step.
desk-done-hand-over = It is in the set. Scan the next one.
class-set-staff-requested = The school waits for an offer. Offer the set to hold free devices for it.
class-set-staff-offered = Offered. The school has not accepted the agreement yet.
class-set-staff-accepted = The school accepted the agreement. Hand the set over when they pick it up.
class-set-staff-on-loan = The set is at the school.
class-set-out = { $out } of the { $lent } lent still out
class-set-not-back-title = A device that will not come back
class-set-not-back-device = Device
class-set-not-back-hint = Lost or stolen: we mark it lost. Broken beyond repair or kept: we write it off.
class-set-lost-button = Report it lost
class-set-write-off-button = Write it off
class-set-done-not-back = The device is closed in the set. It no longer counts as missing.

## The programme's end: gifts
stage-gifted = Given to a student to keep
device-state-gifted = Given away
desk-action-gift = Given to the student
desk-done-gift-offered = The gift is offered. The student gets a mail and says yes on their page.
gifts-title = Gifts at the end of a programme
gifts-hint = A student who finishes the programme may need the laptop more than we do, for example for a new job. With your yes, staff may offer it to them to keep.
gifts-allow = Staff may give this donation's kit to a student to keep
gifts-now-yes = Now: gifts are allowed.
gifts-now-no = Now: gifts are not allowed. Every device comes back to us.
gifts-save = Save
donation-done-gifts = Saved. Gifts offered before stay offered.
impact-gifted = Given to students to keep
impact-in-use-confirmed = Confirmed in use in the last in-use round (devices)
my-kit-gift-offered = You may keep it: it is a gift.
my-kit-gift-read = Read the gift text
gift-title = Keep your device
gift-intro = Read this short text. Then tick the box and say yes.
gift-checkbox = I have read this. I take the device as my own.
gift-button = Yes, I keep it
gift-tick = Tick the box to say that you take the device as your own.
gift-or-return = Do you not want it? Then bring it back by the date on My kit.
gift-desk-title = Give it to the student
gift-desk-intro = Offer the device as a gift to the student who has it. They get a mail and say yes themselves.
gift-desk-offered = A gift is offered. We wait for the student's answer.
gift-desk-not-allowed = The donor does not allow gifts for this donation.
gift-reason = Why may they keep it?
gift-reason-hint = A few words, for example: started a job, or the device is older than four years.
gift-offer-button = Offer as a gift
gift-offer-not-now = The loan has changed. Look at the page again.

## A stack of returns
stack-title = Take back a stack
stack-intro = Scan each device. It gets the condition below and everything lent is ticked. Change a line if something is damaged or missing. Then take them all back. At most { $max } at a time.
stack-one-device = Take back one device
stack-default-condition = Condition of new lines
stack-add = Add to the stack
stack-lines = { $count ->
    [one] One device in the stack
   *[other] { $count } devices in the stack
}
stack-take-back = { $count ->
    [one] Take back this device
   *[other] Take back these { $count } devices
}
stack-done = { $count ->
    [one] One device is back and waits for inspection.
   *[other] { $count } devices are back and wait for inspection.
}
stack-full = The stack is full. Take these { $max } back first, then scan on.
stack-empty = Scan a device first.
stack-line-refused = Not taken back: { $reason }

## Still in use?
link-used-in-use = This link does not work any more. Maybe there is a newer question. Look in your mail.
in-use-link-title = Do you still use your kit?
in-use-link-intro = You have { $thing } from us. Do you still use it for your course?
in-use-tap = Tap your answer.
in-use-note = Anything to add?
in-use-note-hint = For example what is broken.
in-use-answer-in-use = Yes, I use it
in-use-answer-not-used = No, I do not use it
in-use-answer-broken = It is broken
in-use-answer-gone = It is lost or stolen
in-use-choose = Choose an answer.
in-use-link-answered = You answered already:
in-use-link-answered-before = You answered this question already.
in-use-link-nothing-to-do = Thank you. You do not have to do anything more.
in-use-done-title = Thank you for your answer
in-use-done-in-use = Good to hear. Keep using it for your course.
in-use-done-not-used = Please bring it back by { $day }. Then another student can use it. We sent you a mail about it.
in-use-done-not-used-seat = Your licence stops on { $day }. Then another student can use it.
in-use-done-broken = We made a fault report. We will mail you when you can swap it at the hub.
in-use-done-gone = We noted that it is lost. Do you find it again? Bring it to the hub.
in-use-done-my-kit = Go to My kit
in-use-round-title = Still in use?
in-use-round-opened = This round started on { $day }.
in-use-round-school-intro = Answer for your students who have not answered yet.
in-use-round-staff-intro = Here you see every answer so far.
in-use-round-progress = Answers so far
in-use-round-no-answer = No answer yet
in-use-round-late = { $count } loans still have no answer after { $days } days.
in-use-round-late-tag = Late: no answer yet
in-use-round-show-all = Show all loans
in-use-round-show-unanswered = Show only loans without an answer
in-use-round-loans = Loans in this round
in-use-round-none = No loans to show.
in-use-round-answer = Answer:
in-use-round-loan-ended = This loan has ended.
in-use-round-question = Does { $name } still use it?
in-use-round-save = Save answer
in-use-round-saved = The answer is saved.
in-use-round-started = The round has started. Students get a mail.
in-use-round-next = Next page
in-use-round-no-round = There is no round yet.
in-use-round-start-title = Start a new round
in-use-round-start-intro = Every student with kit gets a mail with the question. Loans without an answer show here.
in-use-round-start = Start a round now
